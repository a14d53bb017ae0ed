/** Lines a page address points at: `#L40` or `#L40-L52` (1-based, inclusive). */
export interface LinkedLines {
  from: number
  to: number
}

/** The lines of an address's hash, in order whichever way round they were written; null for any other hash. */
export function parseLineHash(hash: string): LinkedLines | null {
  const found = /^#L([1-9][0-9]{0,9})(?:-L?([1-9][0-9]{0,9}))?$/.exec(hash)
  if (!found) return null
  const a = Number(found[1])
  const b = found[2] === undefined ? a : Number(found[2])
  return { from: Math.min(a, b), to: Math.max(a, b) }
}

export function lineHash(lines: LinkedLines): string {
  return lines.from === lines.to ? `#L${lines.from}` : `#L${lines.from}-L${lines.to}`
}

/** A click on line `n`'s number: that line alone, or with Shift the range from the lines already linked. */
export function clickedLines(current: LinkedLines | null, n: number, extend: boolean): LinkedLines {
  if (!extend || !current) return { from: n, to: n }
  return { from: Math.min(current.from, n), to: Math.max(current.to, n) }
}
