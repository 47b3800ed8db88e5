import { attachPlayer } from './lib/player-controls.js';

for (const root of document.querySelectorAll<HTMLElement>('[data-player]')) attachPlayer(root);
