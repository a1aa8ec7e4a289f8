/** Join the configured base path (Astro's `base`) with a site-relative path, e.g. url('chapters/x/'). */
export function url(path = ''): string {
  const base = import.meta.env.BASE_URL.replace(/\/+$/, '');
  const rest = path.replace(/^\/+/, '');
  return `${base}/${rest}`;
}
