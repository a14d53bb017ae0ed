import { shallowRef } from 'vue'

const KEY = 'spiderpig.notify'

/** Whether the user opted in to a browser notification when a prompt opens while the tab is hidden. */
export const notificationsWanted = shallowRef(readPreference())

function readPreference(): boolean {
  try {
    return window.localStorage.getItem(KEY) === 'yes'
  } catch {
    return false
  }
}

export const notificationsSupported = typeof window !== 'undefined' && 'Notification' in window

export async function setNotificationsWanted(wanted: boolean): Promise<void> {
  if (wanted && notificationsSupported && Notification.permission === 'default') {
    await Notification.requestPermission()
  }
  const granted = notificationsSupported && Notification.permission === 'granted'
  notificationsWanted.value = wanted && granted
  try {
    window.localStorage.setItem(KEY, notificationsWanted.value ? 'yes' : 'no')
  } catch {
    // private mode: the choice lasts for this page only
  }
}

export function notifyPromptIfHidden(jobId: number, prompt: string): void {
  if (!notificationsWanted.value || !notificationsSupported || Notification.permission !== 'granted') return
  if (!document.hidden) return
  const notification = new Notification('SpiderPig needs an answer', { body: `Job ${jobId}: ${prompt}`, tag: `spiderpig-${jobId}` })
  notification.onclick = () => {
    window.focus()
    notification.close()
  }
}
