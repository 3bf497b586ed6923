#!/usr/bin/env node
import { main } from './main.js';

// A closed pipe (`tributary tail x | head`) ends the command quietly, as other tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// exitCode, not exit(): stdout is flushed before the process ends.
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
