import { Command, Option } from 'commander';
import type { CliIo } from './cliIo.js';
import { dashboardCommand } from './commands/dashboardCommand.js';
import { dlqCommand } from './commands/dlqCommand.js';
import { lagCommand } from './commands/lagCommand.js';
import { modelsCommand } from './commands/modelsCommand.js';
import { produceCommand } from './commands/produceCommand.js';
import { replayCommand } from './commands/replayCommand.js';
import { tailCommand } from './commands/tailCommand.js';
import { topicsCommand } from './commands/topicsCommand.js';

/** The `tributary` command tree, writing to `io` and throwing instead of exiting. */
export function program(io: CliIo, version: string): Command {
  const p = new Command('tributary')
    .description(
      'Tributary on Kafka or a file-backed dev bus: topics, tail, produce, lag, replay, models, dead letters',
    )
    .version(version, '-V, --version')
    .option('--brokers <list>', 'Kafka bootstrap brokers, host:port,... (default KAFKA_BROKERS)')
    .option(
      '--dev <dir>',
      'the file-backed memory bus in <dir> instead of Kafka (default TRIBUTARY_DEV_DIR)',
    )
    .addOption(new Option('--client <client>', 'Kafka client').choices(['kafkajs', 'confluent']))
    .option('--ssl', 'TLS with the system CAs')
    .option('--ssl-ca <file>', 'TLS: PEM file of the CA that signed the brokers')
    .option('--ssl-cert <file>', 'TLS: PEM client certificate (with --ssl-key)')
    .option('--ssl-key <file>', 'TLS: PEM private key of --ssl-cert')
    .option('--ssl-insecure', 'TLS without checking the brokers’ certificates (labs only)')
    .addOption(
      new Option('--sasl-mechanism <mechanism>', 'SASL (default KAFKA_SASL_MECHANISM)').choices([
        'plain',
        'scram-sha-256',
        'scram-sha-512',
      ]),
    )
    .option('--sasl-username <name>', 'SASL user (default KAFKA_SASL_USERNAME)')
    .option(
      '--sasl-password <password>',
      'SASL password (prefer KAFKA_SASL_PASSWORD: argv is visible to other users)',
    )
    .option(
      '--registry <url>',
      'schema registry for --serde registry (default SCHEMA_REGISTRY_URL)',
    )
    .option(
      '--json',
      'machine-readable output: one JSON value (or one per line for tail/dlq inspect)',
    )
    .option('--no-progress', 'no progress bars')
    .option('--verbose', 'client logs and stack traces of errors')
    .addHelpText(
      'after',
      '\nExit codes: 0 done, 1 usage error, 2 runtime error (the error code and message are printed on stderr).',
    )
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: (s, write) => write(s),
    });
  for (const make of [
    topicsCommand,
    tailCommand,
    produceCommand,
    lagCommand,
    replayCommand,
    modelsCommand,
    dlqCommand,
    dashboardCommand,
  ]) {
    p.addCommand(make(io));
  }
  // exitOverride and output settings reach commands added with addCommand only when copied.
  const inherit = (c: Command) => {
    for (const sub of c.commands) {
      sub.copyInheritedSettings(c);
      inherit(sub);
    }
  };
  inherit(p);
  return p;
}
