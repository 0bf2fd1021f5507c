#!/usr/bin/env node
// The `umbra` command: runs the program and turns every failure into a message and its exit code.
import { CommanderError } from 'commander';
import { ExitCode, describeError, exitCodeFor } from './exit-codes.js';
import { buildProgram } from './program.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  // Commander has already printed its message (or the help) when it throws.
  if (err instanceof CommanderError) {
    process.exit(err.exitCode === 0 ? ExitCode.ok : ExitCode.usage);
  }
  process.stderr.write(`umbra: ${describeError(err)}\n`);
  process.exit(exitCodeFor(err));
}
