import { onBeforeUnmount, watchEffect } from 'vue'
import { STATE_LABELS, type ShownState } from './stateLabels'

/** The tab's title for a job: what it needs first, so that among many tabs the waiting one stands out. */
export function jobTitle(jobId: number, state: ShownState): string {
  return `${STATE_LABELS[state]} · Job ${jobId} · SpiderPig`
}

const MARKS: Record<ShownState, { colour: string; glyph: string }> = {
  queued: { colour: '#72777d', glyph: '…' },
  running: { colour: '#36c', glyph: '▶' },
  'awaiting-input': { colour: '#ac6600', glyph: '?' },
  succeeded: { colour: '#14866d', glyph: '✓' },
  failed: { colour: '#d73333', glyph: '✗' },
  cancelled: { colour: '#54595d', glyph: '–' },
  interrupted: { colour: '#d73333', glyph: '!' },
  unknown: { colour: '#72777d', glyph: '?' },
}

/** A small round icon in the state's colour with its sign, as an SVG data address. */
export function stateFavicon(state: ShownState): string {
  const { colour, glyph } = MARKS[state]
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="15" fill="${colour}"/>` +
    `<text x="16" y="22" font-size="18" font-family="sans-serif" font-weight="bold" text-anchor="middle" fill="#fff">${glyph}</text></svg>`
  return `data:image/svg+xml,${encodeURIComponent(svg)}`
}

/** Keeps the tab's title and icon on the job's state while the page shows it; puts the app's back after. */
export function useJobTabLook(jobId: number, state: () => ShownState | null): void {
  const icon = document.querySelector<HTMLLinkElement>('link[rel="icon"]')
  const appIcon = icon?.getAttribute('href') ?? null
  const appTitle = document.title
  watchEffect(() => {
    const shown = state()
    document.title = shown ? jobTitle(jobId, shown) : `Job ${jobId} · SpiderPig`
    if (icon) {
      if (shown) icon.setAttribute('href', stateFavicon(shown))
      else if (appIcon !== null) icon.setAttribute('href', appIcon)
    }
  })
  onBeforeUnmount(() => {
    document.title = appTitle
    if (icon && appIcon !== null) icon.setAttribute('href', appIcon)
  })
}
