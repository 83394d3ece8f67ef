import { run } from './action/main.js';

// Exit explicitly once done: a socket or timer left by a hung gateway must never keep the step alive.
void run().finally(() => process.exit());
