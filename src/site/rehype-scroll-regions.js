/**
 * Rehype plugin: content that may scroll sideways on a phone (tables, display math) must be reachable
 * by keyboard. Wraps each <table> in a focusable, labelled region and makes display math focusable.
 */
export default function rehypeScrollRegions() {
  return (tree) => {
    let tables = 0;
    visit(tree, (node, index, parent) => {
      if (node.type !== 'element' || !parent || index === undefined) return;
      if (node.tagName === 'table' && !(parent.properties?.className ?? []).includes('table-scroll')) {
        tables += 1;
        const caption = node.children.find((c) => c.type === 'element' && c.tagName === 'caption');
        const label = caption ? textOf(caption) : `Table ${tables}`;
        parent.children[index] = {
          type: 'element',
          tagName: 'div',
          properties: { className: ['table-scroll'], tabIndex: 0, role: 'region', ariaLabel: label },
          children: [node],
        };
      }
      const cls = node.properties?.className ?? [];
      if (Array.isArray(cls) && cls.includes('katex-display')) node.properties.tabIndex = 0;
    });
  };
}

/** Depth-first walk calling fn(node, index, parent) for every node. */
function visit(node, fn, index, parent) {
  fn(node, index, parent);
  if (node.children) node.children.forEach((child, i) => visit(child, fn, i, node));
}

/** The concatenated text of a hast node. */
function textOf(node) {
  if (node.type === 'text') return node.value;
  return (node.children ?? []).map(textOf).join('');
}
