// The worker that reads the page's event streams (see `workerEventSource.ts`).
import { streamHost, type FromWorker, type ToWorker } from './sseForwarder'

const tell = (message: FromWorker) => postMessage(message)
const host = streamHost(tell)
onmessage = (event: MessageEvent<ToWorker>) => host(event.data)
tell({ stream: 0, kind: 'loaded' })
