import { computed, shallowRef } from 'vue'

const KEY = 'spiderpig.notify'

/** Whether the user opted in to a browser notification when a prompt opens while the tab is hidden. */
const wanted = shallowRef(readPreference())

function readPreference(): boolean {
  try {
    return window.localStorage.getItem(KEY) === 'yes'
  } catch {
    return false
  }
}

export const notificationsSupported = typeof window !== 'undefined' && 'Notification' in window

/** The browser's answer about notifications, read again whenever the switch is used. */
export const notificationPermission = shallowRef<NotificationPermission | 'unsupported'>(currentPermission())

function currentPermission(): NotificationPermission | 'unsupported' {
  return notificationsSupported ? Notification.permission : 'unsupported'
}

/** Blocked notifications stay blocked until the user changes the site's settings: the page cannot ask again. */
export const notificationsBlocked = computed(() => notificationPermission.value === 'denied')

/** What will actually happen: on only when the user wants it and the browser allows it. */
export const notificationsWanted = computed(() => wanted.value && notificationPermission.value === 'granted')

/** Reads the browser's permission again: the user may have changed it in the site's settings meanwhile. */
export function refreshNotificationPermission(): void {
  notificationPermission.value = currentPermission()
}

export async function setNotificationsWanted(want: boolean): Promise<void> {
  if (want && notificationsSupported && Notification.permission === 'default') {
    await Notification.requestPermission()
  }
  notificationPermission.value = currentPermission()
  wanted.value = want && notificationPermission.value === 'granted'
  try {
    window.localStorage.setItem(KEY, wanted.value ? 'yes' : 'no')
  } catch {
    // private mode: the choice lasts for this page only
  }
}

export function notifyPromptIfHidden(jobId: number, prompt: string): void {
  refreshNotificationPermission()
  if (!notificationsWanted.value) return
  if (!document.hidden) return
  const notification = new Notification('SpiderPig needs an answer', { body: `Job ${jobId}: ${prompt}`, tag: `spiderpig-${jobId}` })
  notification.onclick = () => {
    window.focus()
    notification.close()
  }
}
