/**
 * Server-side request forgery guard for URLs that users choose (webhooks) or that
 * browsers hand us (push endpoints): the host's addresses are checked at connect
 * time, inside the socket's own DNS lookup, so a name cannot resolve to a public
 * address for a check and to 127.0.0.1 for the connection (DNS rebinding). A host
 * with any private, loopback, link-local or reserved address is refused whole.
 */
import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to every address (default: the system resolver, like any connection). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export class TargetRefusedError extends Error {
  override readonly name = 'TargetRefusedError';
  readonly code = 'EASYGAS_TARGET_REFUSED';
  constructor(readonly address: string) {
    super(`refused to connect to ${address}: a private, loopback or reserved address`);
  }
}

const RANGES_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];
const RANGES_V6: readonly [string, number][] = [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32], ['2002::', 16],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
];

function privateRanges(): BlockList {
  const list = new BlockList();
  for (const [net, prefix] of RANGES_V4) list.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of RANGES_V6) list.addSubnet(net, prefix, 'ipv6');
  return list;
}

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) reject(error);
      else resolve(addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })));
    });
  });

export interface TargetGuard {
  /** True when the address is private, loopback or reserved (IPv4-mapped IPv6 included). */
  isPrivate(address: string): boolean;
  /** The refused address when the URL's host is an IP literal in a private range (a literal skips the lookup). */
  refusedLiteral(url: URL): string | undefined;
  /** For a socket's `lookup` option (http.request, https.Agent). */
  readonly lookup: LookupFunction;
}

export function targetGuard(options: { allowPrivate: boolean; resolver?: Resolver }): TargetGuard {
  const ranges = privateRanges();
  const resolver = options.resolver ?? systemResolver;
  const isPrivate = (address: string): boolean => {
    const family = isIP(address);
    return family === 0 || ranges.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolver(hostname).then(
      (all) => {
        const refused = options.allowPrivate ? undefined : all.find((a) => isPrivate(a.address));
        if (refused !== undefined) return callback(new TargetRefusedError(refused.address), '', 4);
        const wanted = lookupOptions.family === 4 || lookupOptions.family === 6 ? all.filter((a) => a.family === lookupOptions.family) : all;
        const first = wanted[0];
        if (first === undefined) {
          return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
        }
        if (lookupOptions.all === true) return (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, wanted);
        return callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };
  return {
    isPrivate,
    refusedLiteral(url) {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      return !options.allowPrivate && isIP(host) !== 0 && isPrivate(host) ? host : undefined;
    },
    lookup,
  };
}
