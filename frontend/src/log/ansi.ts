import { AnsiUp } from 'ansi_up'

// ansi_up escapes HTML by default; links (OSC 8 and bare URLs) are turned off so a log line can never
// inject a clickable target. Colours become classes so the themes can pick readable shades.
const ansi = new AnsiUp()
ansi.use_classes = true
ansi.escape_html = true
ansi.url_allowlist = {}

const RESET = '\u001b[0m'

/** HTML for one log line; each line starts from plain style so lines render independently. */
export function ansiToHtml(text: string): string {
  return ansi.ansi_to_html(RESET + text + RESET)
}

// CSI sequences, OSC sequences (terminated by BEL or ST), and lone two-character escapes.
const ANSI_PATTERN = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g

/** Whether the text has escape sequences (colours, say) at all. */
export function hasAnsi(text: string): boolean {
  return text.indexOf('\u001b') >= 0
}

export function stripAnsi(text: string): string {
  return hasAnsi(text) ? text.replace(ANSI_PATTERN, '') : text
}
