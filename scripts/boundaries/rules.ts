/**
 * The import boundaries, as data (docs/architecture.md, "Who imports whom"). Each rule
 * names the files it governs and a predicate over what they import.
 */
export interface ImportRef {
  /** The importing file, relative to the repository root, with forward slashes. */
  readonly from: string;
  /** The specifier as written. */
  readonly specifier: string;
  /** For relative specifiers: the imported file relative to the root; undefined for packages. */
  readonly target?: string;
  /** `import type` / `export type`: erased at build time, nothing of the target runs. */
  readonly typeOnly?: boolean;
}

export interface RuleContext {
  /** True when the file and everything it imports use no node:* module and no package. */
  readonly isPure: (file: string) => boolean;
}

export interface Rule {
  readonly name: string;
  readonly appliesTo: (file: string) => boolean;
  /** Returns a reason when the import is forbidden. */
  readonly check: (ref: ImportRef, context: RuleContext) => string | undefined;
}

const isTest = (f: string): boolean => f.endsWith('.test.ts') || f.includes('/e2e/') || f.includes('/test-support/');
/** What the browser bundle may load: the UI library and the chart library (types of anything). */
const WEB_PACKAGES = new Set(['preact', 'uplot']);
/** Pure modules of ours the dashboard shares rather than copies (one back-off). */
const WEB_SHARED = ['cloud-sync/client/backoff.ts'];
/** Pure modules of the client the cloud server shares rather than copies (one back-off). */
const SERVER_SHARED = ['cloud-sync/client/backoff.ts'];
/** What the CLI may import of the cloud server: its composition root and the demo's provisioning. */
const CLOUD_ENTRY_POINTS = ['cloud-sync/server/main.ts', 'cloud-sync/server/demo-provisioning.ts'];
/** A cloud module's request and response schemas: what the dashboard may take types from. */
const isModuleSchema = (f: string): boolean => /^cloud-sync\/server\/modules\/[a-z-]+\/schemas\.ts$/.test(f);
const under = (dir: string) => (f: string | undefined): boolean => f !== undefined && f.startsWith(`${dir}/`);
const isPackage = (ref: ImportRef): boolean => ref.target === undefined && !ref.specifier.startsWith('node:');
const packageName = (spec: string): string =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec);

/** Files allowed to build concrete hardware, stores, brokers and clients. */
export const isCompositionRoot = (f: string): boolean =>
  /(^|\/)main\.ts$/.test(f) || f.startsWith('gateway/app/') || f.startsWith('gateway/cli/') || f.startsWith('scripts/');

const HARDWARE_PACKAGES = new Set(['i2c-bus', 'serialport', '@serialport/stream', '@serialport/binding-mock', 'onoff']);

export const RULES: readonly Rule[] = [
  {
    name: 'hardware-is-a-leaf',
    appliesTo: under('hardware'),
    check: (ref) => {
      if (ref.target !== undefined && !under('hardware')(ref.target)) {
        return 'hardware/ imports only node:*, the bus libraries and hardware/ itself';
      }
      if (isPackage(ref) && !HARDWARE_PACKAGES.has(packageName(ref.specifier))) {
        return `hardware/ may use only node:* and ${[...HARDWARE_PACKAGES].join(', ')} (takes a Logger interface instead of pino)`;
      }
      return undefined;
    },
  },
  {
    name: 'drivers-do-not-know-the-simulator',
    appliesTo: (f) => under('hardware')(f) && !under('hardware/sim')(f) && !isTest(f),
    check: (ref) => (under('hardware/sim')(ref.target) ? 'drivers and ports must not depend on hardware/sim' : undefined),
  },
  {
    name: 'pipeline-is-pure',
    appliesTo: (f) => under('gateway/pipeline')(f) && !isTest(f),
    check: (ref, context) => {
      if (ref.specifier.startsWith('node:')) return 'gateway/pipeline is pure: no node:* modules (no I/O)';
      if (ref.target !== undefined && !under('gateway/pipeline')(ref.target)) {
        // Pure hardware maths (the MQ-6 curve) may be shared rather than copied.
        if (under('hardware')(ref.target) && context.isPure(ref.target)) return undefined;
        return 'gateway/pipeline imports only gateway/pipeline and pure (I/O-free) hardware modules';
      }
      if (isPackage(ref)) return 'gateway/pipeline is pure: no packages';
      return undefined;
    },
  },
  {
    name: 'protocol-is-a-leaf',
    appliesTo: under('cloud-sync/protocol'),
    check: (ref) =>
      ref.target !== undefined && !under('cloud-sync/protocol')(ref.target)
        ? 'cloud-sync/protocol imports nothing of ours'
        : undefined,
  },
  {
    name: 'client-stands-alone',
    appliesTo: under('cloud-sync/client'),
    check: (ref) => {
      if (under('cloud-sync/server')(ref.target)) return 'cloud-sync/client never imports cloud-sync/server';
      if (under('gateway')(ref.target) || under('hardware')(ref.target)) {
        return 'cloud-sync/client reads the gateway through the outbox interface it defines';
      }
      if (ref.specifier === 'better-sqlite3') return 'cloud-sync/client never opens the store directly';
      return undefined;
    },
  },
  {
    name: 'server-stands-alone',
    appliesTo: under('cloud-sync/server'),
    check: (ref) => {
      // The one back-off (pure) is shared: the outbox worker and the event relay retry with it too.
      if (under('cloud-sync/client')(ref.target) && !SERVER_SHARED.includes(ref.target ?? '')) return 'cloud-sync/server never imports cloud-sync/client';
      if (under('gateway')(ref.target) || under('hardware')(ref.target)) {
        return 'cloud-sync/server knows nothing of the gateway or hardware';
      }
      return undefined;
    },
  },
  {
    // A library the notification worker, routes and CLI plug into: it knows no storage, route or service.
    name: 'notification-channels-stand-alone',
    appliesTo: under('cloud-sync/server/modules/notifications/channels'),
    check: (ref) =>
      ref.target !== undefined && !under('cloud-sync/server/modules/notifications/channels')(ref.target)
        ? 'the notification channels import only themselves, node:* and packages (the server plugs them in, not the reverse)'
        : undefined,
  },
  {
    name: 'gateway-does-not-embed-the-cloud',
    // Tests may stand up a real cloud to talk to (easygas provision); product code never embeds it.
    appliesTo: (f) => under('gateway')(f) && !isTest(f),
    // The CLI is a composition root for both (`easygas cloud`, `npm start`): it may start the
    // cloud through its own composition root and demo provisioning, and nothing deeper.
    check: (ref) => {
      if (!under('cloud-sync/server')(ref.target)) return undefined;
      if (under('gateway/cli')(ref.from) && CLOUD_ENTRY_POINTS.includes(ref.target ?? '')) return undefined;
      return 'the gateway never imports the cloud server (only gateway/cli may start it, through cloud-sync/server/main.ts)';
    },
  },
  {
    name: 'web-talks-to-the-server-over-http-only',
    // The dashboard runs in a browser: it may import the server's API schemas as types (erased
    // from the bundle), and of our code only pure shared modules; packages only preact and uplot.
    appliesTo: (f) => under('cloud-sync/web')(f) && !isTest(f),
    check: (ref, context) => {
      if (ref.specifier.startsWith('node:')) return 'cloud-sync/web runs in a browser: no node:* modules';
      if (ref.target === undefined) {
        return ref.typeOnly === true || WEB_PACKAGES.has(packageName(ref.specifier))
          ? undefined
          : `cloud-sync/web may bundle only ${[...WEB_PACKAGES].join(' and ')} (\`import type\` of other packages is fine)`;
      }
      if (under('cloud-sync/web')(ref.target)) return undefined;
      if (ref.typeOnly === true && (isModuleSchema(ref.target) || under('cloud-sync/server/api')(ref.target) || under('cloud-sync/protocol')(ref.target) || ref.target === 'cloud-sync/server/errors.ts')) return undefined;
      if (ref.typeOnly !== true && WEB_SHARED.includes(ref.target) && context.isPure(ref.target)) return undefined;
      return 'cloud-sync/web talks to the server over HTTP only: `import type` of the modules\' schemas (cloud-sync/server/modules/*/schemas.ts), cloud-sync/server/api and the protocol\'s types, nothing else';
    },
  },
  {
    name: 'concrete-parts-only-in-composition-roots',
    appliesTo: (f) => !isTest(f) && !isCompositionRoot(f) && !under('hardware/linux')(f) && !under('hardware/sim')(f),
    check: (ref) =>
      under('hardware/linux')(ref.target) || under('hardware/sim')(ref.target)
        ? 'only composition roots (main.ts, gateway/app, gateway/cli, scripts) build concrete hardware or simulators'
        : undefined,
  },
  {
    name: 'scripts-are-not-a-library',
    appliesTo: (f) => !under('scripts')(f),
    check: (ref) => (under('scripts')(ref.target) ? 'product code never imports scripts/' : undefined),
  },
];
