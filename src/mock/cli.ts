/**
 * `npm run mock-server -- --port 18090 --data /tmp/x.json`: the mock backend as a standalone process,
 * for running the extension or UI tests against a server that outlives one test run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { startMockServer, type MockServerOptions } from './server';
import { keyProblem } from './guard';

const HELP = `Usage: mock-server [options]

Runs the mock Microsoft Defender XDR / Microsoft Graph security backend on loopback. Every request
needs the key it prints, as "Authorization: Bearer <key>" (with --require-auth the API takes the
issued tokens instead). Browsers are refused (any Origin header, or a Host other than this address).

Options:
  --port N            Port to listen on (default 18090; 0 picks a free one)
  --host HOST         Address to bind (default 127.0.0.1)
  --data FILE         JSON data file (default .mock-data/incidents.json under the current folder)
  --count N           Incidents to seed when there is no data file (default 75)
  --seed N            Seed of the sample data (default 1)
  --hostile           Seed attacker-shaped text into some evidence values (markup, links, bidi, KQL)
  --hunting-schema-case C  Keys of runHuntingQuery's schema: camel (name/type, default) or pascal (Name/Type)
  --extensions        Allow what the real APIs cannot (rename, severity, alert updates on /api)
  --require-auth      Require bearer tokens from the token endpoint (needs the three options below)
  --tenant T          Tenant id for the token endpoint
  --client-id C       Client id for the token endpoint
  --client-secret-file F  Client secret for the token endpoint, read from file F (or set MOCK_CLIENT_SECRET)
  --roles A,B         With --require-auth: the application permissions consented (default all), e.g.
                      SecurityIncident.Read.All; a call needing another answers 403 as the real API does
  --secret-expired    With --require-auth: the token endpoint answers AADSTS7000222 (expired secret)
  --key-file F        Use the key in file F instead of a random one (16+ characters; for scripts; or set MOCK_KEY)
                      Secrets are never taken on the command line: every process on the machine can read it.
  --control           Serve the /__mock/* control routes (faults, edits, reset, requests, clock, quota)
  --rate-limit N      Allow N API calls per window per dialect; over it answer 429 as each API does
  --rate-window-ms MS The window of --rate-limit (default 60000)
  --retry-after-header  With --rate-limit, Defender's 429 also sends Retry-After (Graph always does)
  --clock-offset-ms MS  Run the server's clock MS ahead (negative: behind) of this machine's
  --quiet             Do not log each request
  --help              Show this help
`;

export class UsageError extends Error {}

function checkedKey(k: string): string {
  const problem = keyProblem(k);
  if (problem) throw new UsageError(`key: ${problem}`);
  return k;
}

export interface CliOptions {
  server: MockServerOptions;
  dataFile: string;
  quiet: boolean;
  help: boolean;
}

/** Parse argv (without node and the script). Throws UsageError with a message for the user. */
export function parseArgs(
  argv: readonly string[],
  cwd = process.cwd(),
  env: Readonly<Record<string, string | undefined>> = process.env,
  readFile: (file: string) => string = f => fs.readFileSync(f, 'utf8'),
): CliOptions {
  /** A secret from a file (trailing newline dropped); unreadable is a usage error naming the option. */
  const fromFile = (flag: string, file: string): string => {
    try {
      return readFile(path.resolve(cwd, file)).replace(/\r?\n$/, '');
    } catch (e) {
      throw new UsageError(`${flag}: cannot read ${file} (${e instanceof Error ? e.message : String(e)}).`);
    }
  };
  const o: CliOptions = {
    server: { port: 18090, host: '127.0.0.1', extensions: false },
    dataFile: path.join(cwd, '.mock-data', 'incidents.json'),
    quiet: false,
    help: false,
  };
  let requireAuth = false;
  let rateLimit: number | undefined,
    rateWindowMs: number | undefined,
    retryAfterHeader = false;
  let tenant: string | undefined, clientId: string | undefined, secret: string | undefined;
  let roles: string[] | undefined,
    secretExpired = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    const int = (min: number, max: number): number => {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not '${v}'.`);
      return Number(v);
    };
    const signedInt = (limit: number): number => {
      const v = value();
      if (!/^-?\d+$/.test(v) || Math.abs(Number(v)) > limit) throw new UsageError(`${flag} must be a whole number from -${limit} to ${limit}, not '${v}'.`);
      return Number(v);
    };
    switch (flag) {
      case '--port':
        o.server.port = int(0, 65535);
        break;
      case '--host':
        o.server.host = value();
        break;
      case '--data':
        o.dataFile = path.resolve(cwd, value());
        break;
      case '--count':
        o.server.incidentCount = int(0, 100_000);
        break;
      case '--seed':
        o.server.seed = int(0, 2 ** 31 - 1);
        break;
      case '--extensions':
        o.server.extensions = true;
        break;
      case '--hostile':
        o.server.hostile = true;
        break;
      case '--hunting-schema-case': {
        const v = value();
        if (v !== 'camel' && v !== 'pascal') throw new UsageError(`--hunting-schema-case must be camel or pascal, not '${v}'.`);
        o.server.hunting = { ...o.server.hunting, schemaCase: v };
        break;
      }
      case '--require-auth':
        requireAuth = true;
        break;
      case '--tenant':
        tenant = value();
        break;
      case '--client-id':
        clientId = value();
        break;
      case '--client-secret':
      case '--key':
        throw new UsageError(
          `${flag} is not taken on the command line (any process on this machine can read it): use ${flag}-file FILE or the ${flag === '--key' ? 'MOCK_KEY' : 'MOCK_CLIENT_SECRET'} environment variable.`,
        );
      case '--client-secret-file':
        secret = fromFile(flag, value());
        break;
      case '--key-file':
        o.server.key = checkedKey(fromFile(flag, value()));
        break;
      case '--roles':
        roles = value()
          .split(',')
          .map(r => r.trim())
          .filter(Boolean);
        break;
      case '--secret-expired':
        secretExpired = true;
        break;
      case '--control':
        o.server.control = true;
        break;
      case '--rate-limit':
        rateLimit = int(1, 100_000);
        break;
      case '--rate-window-ms':
        rateWindowMs = int(1, 86_400_000);
        break;
      case '--retry-after-header':
        retryAfterHeader = true;
        break;
      case '--clock-offset-ms':
        o.server.clockOffsetMs = signedInt(366 * 86_400_000);
        break;
      case '--quiet':
        o.quiet = true;
        break;
      case '--help':
      case '-h':
        o.help = true;
        break;
      default:
        throw new UsageError(`Unknown option '${arg}'. Run with --help for the list.`);
    }
  }
  if (o.server.key === undefined && env.MOCK_KEY) o.server.key = checkedKey(env.MOCK_KEY);
  if (secret === undefined && env.MOCK_CLIENT_SECRET) secret = env.MOCK_CLIENT_SECRET;
  if (requireAuth || tenant || clientId) {
    if (!tenant || !clientId || !secret)
      throw new UsageError('--require-auth needs --tenant, --client-id and a client secret (--client-secret-file or MOCK_CLIENT_SECRET).');
    o.server.auth = {
      tenantId: tenant,
      clientId,
      clientSecret: secret,
      required: requireAuth,
      ...(roles ? { roles } : {}),
      ...(secretExpired ? { secretExpired } : {}),
    };
  } else if (roles || secretExpired) throw new UsageError('--roles and --secret-expired need --require-auth.');
  if (rateLimit !== undefined) o.server.rateLimit = { limit: rateLimit, windowMs: rateWindowMs ?? 60_000, ...(retryAfterHeader ? { retryAfterHeader } : {}) };
  else if (rateWindowMs !== undefined || retryAfterHeader) throw new UsageError('--rate-window-ms and --retry-after-header need --rate-limit.');
  // The standalone server always requires its key.
  o.server.requireKey = true;
  o.server.dataFile = o.dataFile;
  return o;
}

export async function main(argv: readonly string[]): Promise<number> {
  let o: CliOptions;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`mock-server: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (o.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const server = await startMockServer({
    ...o.server,
    log: line => {
      if (!o.quiet && !line.startsWith('Mock Defender backend listening')) process.stdout.write(`${line}\n`);
    },
    onRecovered: (reason, movedTo) =>
      process.stderr.write(`mock-server: the data file could not be used (${reason}); it was kept as ${movedTo} and fresh data was seeded.\n`),
  });
  process.stdout.write(`Mock Defender backend listening on ${server.url} (data: ${o.dataFile})\n`);
  process.stdout.write(`  Defender XDR API: ${server.url}/api/incidents\n`);
  process.stdout.write(`  Graph security API: ${server.url}/v1.0/security/incidents\n`);
  process.stdout.write(
    `  Token endpoint: ${server.url}/${o.server.auth?.tenantId ?? '<tenant>'}/oauth2/v2.0/token${o.server.auth?.required ? ' (required)' : ''}\n`,
  );
  process.stdout.write(`  Control: ${o.server.control ? `${server.url}/__mock/health` : 'off (start with --control)'}\n`);
  process.stdout.write(`  Key: ${server.key}\n`);
  process.stdout.write(
    `  Send it on every request: Authorization: Bearer ${server.key}${o.server.auth?.required ? ' (the API takes issued tokens instead)' : ''}\n`,
  );
  await new Promise<void>(resolve => {
    const stop = (): void => {
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  process.stdout.write('Mock server stopped; data saved.\n');
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    code => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`mock-server: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
