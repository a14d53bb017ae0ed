import { ref, watch, type Ref } from 'vue'

/** A boolean choice remembered in this browser (localStorage) under `spiderpig.<name>`. */
export function usePreference(name: string, initial: boolean): Ref<boolean> {
  const key = `spiderpig.${name}`
  const value = ref(read(key, initial))
  watch(value, (now) => {
    try {
      window.localStorage.setItem(key, now ? 'yes' : 'no')
    } catch {
      // private mode: the choice lasts for this page only
    }
  })
  return value
}

function read(key: string, initial: boolean): boolean {
  try {
    const stored = window.localStorage.getItem(key)
    return stored === null ? initial : stored === 'yes'
  } catch {
    return initial
  }
}
