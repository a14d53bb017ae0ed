import { createApp } from 'vue'
import '@wikimedia/codex/dist/codex.style.css'
import './styles.css'
import App from './App.vue'

createApp(App).mount('#app')
