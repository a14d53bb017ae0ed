import { shallowRef } from 'vue'
import type { ServerLinks } from './types'

/** Where Gerrit and Phabricator are, as `GET /api/status` says; these defaults until it has. */
export const serverLinks = shallowRef<ServerLinks>({
  gerrit: 'https://gerrit.wikimedia.org/r',
  phabricator: 'https://phabricator.wikimedia.org',
})

export type Segment = { text: string; href?: string }

// Tasks (T123456), Change-Ids (I + 40 hex digits) and bare http(s) URLs, in one pass so they never overlap.
const LINKABLE = /\b(T[1-9][0-9]*)\b|\b(I[0-9a-f]{40})\b|(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])/g

/**
 * A commit message cut into plain text and links. The page renders segments as text nodes and anchors,
 * never as HTML, so nothing Gerrit sends becomes markup.
 */
export function linkify(text: string, links: ServerLinks): Segment[] {
  const segments: Segment[] = []
  let last = 0
  for (const match of text.matchAll(LINKABLE)) {
    const start = match.index ?? 0
    if (start > last) segments.push({ text: text.slice(last, start) })
    const [whole, task, changeId, url] = match
    const href = task
      ? `${links.phabricator}/${task}`
      : changeId
        ? `${links.gerrit}/q/${changeId}`
        : url
    segments.push({ text: whole, href })
    last = start + whole.length
  }
  if (last < text.length) segments.push({ text: text.slice(last) })
  return segments
}
