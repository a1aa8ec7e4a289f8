/**
 * When the WebGPU engine's KV cache may be used. Decoding keeps every layer's key/value rows (and the rows
 * of every activation the next token's row reads) of the last context it ran, at B = 1, in the training
 * buffers. A new token reuses them only while the context still fits the block and extends the cached one
 * by exactly that token: its row runs alone at its absolute position.
 *
 * Why no rolling cache once the context passes block_size: the notes' model adds a learned absolute position
 * embedding wpe[t] to each token before the first layer, so every key and value of every layer depends on
 * the token's position inside the window. When the window slides by one, each kept token moves from position
 * t to t − 1 and all its keys and values change; dropping the oldest row and keeping the rest (what a model
 * with relative positions, e.g. RoPE, could do) would attend over keys of a window the model never saw, and
 * give other tokens than the model without a cache. So past block_size every token re-encodes the whole
 * window (block_size rows, one forward pass) and the cache stays unused until a shorter context comes again.
 */

/** What the next token's logits cost: one row over the cache, or the whole (cropped) window. */
export type DecodePlan =
  | { kind: 'extend'; /** the new token's row (= its position) */ row: number }
  | { kind: 'full'; /** rows run (the cropped context's length) */ T: number };

/**
 * Plan the next-token forward for `context` given the context the cache holds (`held`, null when none):
 * the plan, and what the cache holds afterwards (null once the context is longer than blockSize).
 */
export function planDecode(
  held: Int32Array | null,
  context: Int32Array,
  blockSize: number,
  useCache = true,
): { plan: DecodePlan; held: Int32Array | null } {
  const fits = context.length <= blockSize;
  const T = Math.min(context.length, blockSize);
  const extendsHeld =
    useCache && fits && held !== null && held.length === T - 1 && held.every((id, i) => id === context[i]);
  const next = useCache && fits ? Int32Array.from(context) : null;
  return { plan: extendsHeld ? { kind: 'extend', row: T - 1 } : { kind: 'full', T }, held: next };
}
