import { afterEach, describe, expect, it, vi } from 'vitest'

afterEach(() => {
  vi.unstubAllGlobals()
  vi.resetModules()
  window.localStorage.clear()
})

/** A browser Notification API that grants permission when asked and records notifications. */
function fakeNotifications(permission: NotificationPermission) {
  const shown: { title: string; body?: string }[] = []
  class FakeNotification {
    static permission = permission
    static requestPermission = vi.fn(async () => {
      FakeNotification.permission = 'granted'
      return 'granted' as NotificationPermission
    })
    onclick: (() => void) | null = null
    constructor(title: string, options?: NotificationOptions) {
      shown.push({ title, body: options?.body })
    }
    close(): void {}
  }
  vi.stubGlobal('Notification', FakeNotification)
  return { shown, FakeNotification }
}

function hidden(value: boolean): void {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => value })
}

describe('prompt notifications', () => {
  it('are opt-in, ask for permission, and only fire while the tab is hidden', async () => {
    const { shown, FakeNotification } = fakeNotifications('default')
    const notify = await import('../src/util/notify')
    hidden(true)
    notify.notifyPromptIfHidden(4, 'Continue with sync?')
    expect(shown).toEqual([]) // not opted in

    await notify.setNotificationsWanted(true)
    expect(FakeNotification.requestPermission).toHaveBeenCalled()
    expect(notify.notificationsWanted.value).toBe(true)
    hidden(false)
    notify.notifyPromptIfHidden(4, 'Continue with sync?')
    expect(shown).toEqual([])
    hidden(true)
    notify.notifyPromptIfHidden(4, 'Continue with sync?')
    expect(shown).toEqual([{ title: 'SpiderPig needs an answer', body: 'Job 4: Continue with sync?' }])
  })

  it('stay off when the browser refuses permission', async () => {
    fakeNotifications('denied')
    const notify = await import('../src/util/notify')
    await notify.setNotificationsWanted(true)
    expect(notify.notificationsWanted.value).toBe(false)
  })

  it('say they are blocked when the browser refused, and the switch stays off however often it is used', async () => {
    fakeNotifications('denied')
    const notify = await import('../src/util/notify')
    expect(notify.notificationsBlocked.value).toBe(true)
    for (let i = 0; i < 3; i++) {
      await notify.setNotificationsWanted(true)
      expect(notify.notificationsWanted.value).toBe(false)
    }
  })

  it('show off when permission was withdrawn after the user opted in', async () => {
    window.localStorage.setItem('spiderpig.notify', 'yes')
    const { FakeNotification } = fakeNotifications('granted')
    const notify = await import('../src/util/notify')
    expect(notify.notificationsWanted.value).toBe(true)
    FakeNotification.permission = 'denied'
    notify.notifyPromptIfHidden(4, 'Continue?')
    expect(notify.notificationsWanted.value).toBe(false)
    expect(notify.notificationsBlocked.value).toBe(true)
  })
})
