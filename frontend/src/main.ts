import { createApp } from 'vue'
import '@wikimedia/codex/dist/codex.style.css'
import './styles.css'
import App from './App.vue'
import { startStreamsWorker } from './stream/workerEventSource'

startStreamsWorker()
createApp(App).mount('#app')
