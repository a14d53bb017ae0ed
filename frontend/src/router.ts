import { shallowRef } from 'vue'

export type Route =
  | { name: 'overview' }
  | { name: 'job'; id: number }
  | { name: 'train' }
  | { name: 'signin' }
  | { name: 'audit' }
  | { name: 'tokens' }
  | { name: 'not-found' }

export function parseRoute(path: string): Route {
  if (path === '/' || path === '') return { name: 'overview' }
  if (path === '/signin') return { name: 'signin' }
  if (path === '/audit') return { name: 'audit' }
  if (path === '/tokens') return { name: 'tokens' }
  const job = /^\/jobs\/([1-9][0-9]*)\/?$/.exec(path)
  if (job) return { name: 'job', id: Number(job[1]) }
  if (/^\/train\/?$/.test(path)) return { name: 'train' }
  return { name: 'not-found' }
}

export const route = shallowRef<Route>(parseRoute(window.location.pathname))

export function navigate(path: string): void {
  if (path === window.location.pathname) return
  window.history.pushState(null, '', path)
  route.value = parseRoute(path)
  window.scrollTo(0, 0)
}

window.addEventListener('popstate', () => {
  route.value = parseRoute(window.location.pathname)
})
