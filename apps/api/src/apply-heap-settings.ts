import { applyHeapSettings } from './heap-settings';

// Imported by main.ts before anything else is loaded: the re-executed process starts from scratch.
applyHeapSettings();
