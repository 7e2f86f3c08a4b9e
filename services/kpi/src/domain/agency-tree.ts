/**
 * The agency tree as the electronic codes of Quyết định 20/2020/QĐ-TTg write it: a code's groups
 * are levels (V1V2V3.Z1Z2.Y1Y2.MX1X2, the level-1 group last); zeros in the leading groups mean
 * "no unit at this level", so 000.00.17.H55 (Sở Y tế) stands above every X.Y.17.H55, and
 * 000.00.00.H55 (the province) above every code ending in H55. kpi owns no agencies: this is the
 * default tree for a reporting agency when the caller gives no explicit list (see access/).
 */
export function isUnderByCode(parent: string, child: string): boolean {
  if (parent === child) return true;
  const p = parent.split('.');
  const c = child.split('.');
  if (p.length !== c.length) return false;
  let wildcard = true;
  for (let i = 0; i < p.length; i++) {
    const group = p[i] ?? '';
    if (wildcard && /^0+$/.test(group)) continue;
    wildcard = false;
    if (group !== c[i]) return false;
  }
  return true;
}

/** The codes among `known` that the code hierarchy puts at or below `parent`, sorted. */
export function subtreeByCode(parent: string, known: readonly string[]): string[] {
  return [...new Set([parent, ...known.filter((c) => isUnderByCode(parent, c))])].sort();
}
