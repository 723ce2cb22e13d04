/**
 * A gateway serving the home network: api.host 0.0.0.0 with a password. The CLI
 * finds the password in the same config as the daemon; without it the API says
 * 401 and the CLI says what to do. The status page, fetched over HTTP with Basic
 * auth as a browser would, is parsed for levels, alarms and health.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli, startSimulatedGateway, type SimulatedGateway } from '../test-support/simulated-gateway.js';

const PASSWORD = 'kitchen-window-42';

describe('a gateway on the home network (password)', { timeout: 90_000 }, () => {
  let gw: SimulatedGateway;
  before(async () => {
    gw = await startSimulatedGateway({
      patch: (doc) => {
        doc.api = { host: '0.0.0.0', port: 8470, password: PASSWORD };
      },
    });
  });
  after(async () => {
    assert.equal(await gw.stop(), 0, gw.output());
  });

  it('the CLI reads the password from --config; without it: refused with what to do (exit 77)', async () => {
    const ok = await runCli(['sensors', '--config', gw.configPath, '--data-dir', gw.dataDir, '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    const refused = await runCli(['sensors', '--data-dir', gw.dataDir]);
    assert.equal(refused.code, 77);
    assert.match(refused.stderr, /refused the API password/);
    assert.match(refused.stderr, /--config|EASYGAS_API_PASSWORD/);
    const viaEnv = await runCli(['sensors', '--data-dir', gw.dataDir], { EASYGAS_API_PASSWORD: PASSWORD });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
  });

  it('the status page over HTTP: a Basic challenge, then one self-contained page with every sensor', async () => {
    const challenge = await fetch(`${gw.url}/`);
    assert.equal(challenge.status, 401);
    assert.match(challenge.headers.get('www-authenticate') ?? '', /^Basic realm=/);
    const res = await fetch(`${gw.url}/`, { headers: { authorization: `Basic ${Buffer.from(`home:${PASSWORD}`).toString('base64')}` } });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<meta http-equiv="refresh" content="10">/);
    assert.doesNotMatch(html, /<script|<link|src=|url\(/, 'no script, no external asset');
    const rows = [...html.matchAll(/<tr data-sensor="([^"]+)"><td>([^<]+)<br>.*?<td class="value">(.*?)<\/td><td class="health (ok|bad)">([^<]+)/g)];
    assert.deepEqual(rows.map((r) => r[1]), ['lpg', 'roof-tank', 'kitchen-gas', 'sink-leak']);
    assert.equal(rows[0]?.[2], 'LPG cylinder');
    assert.match(html, /No active alarms|<ul id="alarms">/);
    assert.match(html, /cloud sync: not-provisioned, \d+ waiting/);
  });
});
