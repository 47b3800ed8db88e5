/**
 * What happens in the same transaction as an event, whichever command records it: importing
 * this module registers every subscriber (today: publishing or editing an article queues its
 * narration). Commands load their modules on demand, so each one that writes imports this first.
 */
import './narration/narration.service.js';
