#!/usr/bin/env node
// `seawall <command>`: runs the TypeScript commands under src/cli without a build step (see
// load-command.mjs). Each command module exports `run(args: string[]): Promise<number>`, the exit code.
// A new command (classify, replay, ...) is one more entry in COMMANDS.
import { loadCommand } from './load-command.mjs';

/** Command name → its module (relative to this file) and one line for the usage text. */
const COMMANDS = {
  decode: {
    module: '../src/cli/decode.ts',
    summary: 'decode AIS NMEA sentences from FILE or stdin to JSON Lines',
  },
  classify: {
    module: '../../geodata/src/cli/classify.ts',
    summary: 'ring (with --zones also the zones) of each "lon,lat" line of FILE or stdin',
  },
  replay: {
    module: '../src/cli/replay.ts',
    summary: 'republish a recorded raw feed (JSON Lines) to MQTT with its timing scaled',
  },
};

const USAGE = `Usage: seawall <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(10)}${summary}`)
  .join('\n')}

Run "seawall <command> --help" for a command's options.
`;

const [name, ...args] = process.argv.slice(2);

if (name === '-h' || name === '--help' || name === 'help') {
  process.stdout.write(USAGE);
} else if (name === undefined || !Object.hasOwn(COMMANDS, name)) {
  process.stderr.write(`${name === undefined ? 'seawall: no command' : `seawall: unknown command "${name}"`}\n\n${USAGE}`);
  process.exitCode = 2;
} else {
  const command = await loadCommand(name, new URL(COMMANDS[name].module, import.meta.url));
  // exitCode, not exit(): stdout may still be draining into a pipe.
  process.exitCode = await command.run(args);
}
