/**
 * The Pi installer, run for real into a temporary root (apt, users and systemctl
 * are printed, not run): it installs a working easygas, keeps the user's config,
 * and a second run changes nothing. Plus the dry run and the unit files.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = join(import.meta.dirname, '..');

/** A frozen copy of the source tree to install from (the working tree may change meanwhile). */
function snapshot(into: string): string {
  const src = join(into, 'src');
  const copy = spawnSync('bash', ['-c', `mkdir -p '${src}' && tar -C '${ROOT}' --exclude=./node_modules --exclude=./dist --exclude=./.git --exclude=./.data -cf - . | tar -C '${src}' -xf -`]);
  assert.equal(copy.status, 0, String(copy.stderr));
  return src;
}

function install(src: string, ...args: string[]): { code: number | null; out: string } {
  const result = spawnSync('bash', [join(src, 'scripts', 'install-pi.sh'), ...args], { encoding: 'utf8', timeout: 600_000 });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('scripts/install-pi.sh', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tempRoot = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'easygas-install-'));
    dirs.push(d);
    return d;
  };

  it('--dry-run prints every step and changes nothing', () => {
    const root = tempRoot();
    const { code, out } = install(ROOT, '--dry-run', '--root', root, '--enable-i2c', '--enable-uart', '--enable-1wire', '--with-cloud');
    assert.equal(code, 0, out);
    for (const step of ['Checking the platform', 'build tools', 'Enabling the interfaces', "service user 'easygas'", 'Installing the code', 'example config', 'systemd units', 'easygas command on the PATH']) {
      assert.ok(out.includes(step), `step "${step}" missing:\n${out}`);
    }
    assert.match(out, /append "dtparam=i2c_arm=on"/);
    assert.match(out, /append "enable_uart=1"/);
    assert.match(out, /append "dtoverlay=w1-gpio"/);
    assert.match(out, /easygas-cloud\.service/);
    assert.deepEqual(readdirSync(root), [], 'nothing was written');
  });

  it('installs a working easygas under --root, keeps an edited config, and a second run changes nothing', { timeout: 900_000 }, () => {
    const src = snapshot(tempRoot());
    const root = tempRoot();
    const first = install(src, '--root', root, '--no-start', '--enable-i2c');
    assert.equal(first.code, 0, first.out);
    const app = join(root, 'opt', 'easygas');
    assert.ok(existsSync(join(app, 'dist', 'gateway', 'cli', 'main.js')), 'compiled');
    assert.ok(!existsSync(join(app, 'node_modules', 'typescript')), 'dev tools pruned');
    assert.ok(existsSync(join(root, 'etc', 'systemd', 'system', 'easygas-gateway.service')));
    assert.match(readFileSync(join(root, 'boot', 'firmware', 'config.txt'), 'utf8'), /^dtparam=i2c_arm=on$/m);
    const config = join(root, 'etc', 'easygas', 'gateway.yaml');
    // The installed copy runs: it validates the installed example config.
    const check = spawnSync(process.execPath, [join(app, 'bin', 'easygas.js'), 'config', 'check', '--config', config], { encoding: 'utf8' });
    assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);

    writeFileSync(config, `${readFileSync(config, 'utf8')}\n# edited by the homeowner\n`);
    const second = install(src, '--root', root, '--no-start', '--enable-i2c');
    assert.equal(second.code, 0, second.out);
    assert.match(second.out, /this version is already installed/);
    assert.match(second.out, /gateway\.yaml exists: kept/);
    assert.match(second.out, /already has dtparam=i2c_arm=on/);
    assert.match(second.out, /easygas-gateway\.service is up to date/);
    assert.match(readFileSync(config, 'utf8'), /edited by the homeowner/);
    assert.equal(readFileSync(join(root, 'boot', 'firmware', 'config.txt'), 'utf8').match(/i2c_arm/g)?.length, 1, 'no duplicate line');
    assert.ok(!existsSync(join(root, 'opt', 'easygas.previous')), 'no upgrade happened, so no previous copy');
  });

  it('refuses to roll back when there is nothing to roll back to', () => {
    const { code, out } = install(ROOT, '--rollback', '--root', tempRoot());
    assert.equal(code, 1);
    assert.match(out, /no previous install/);
  });
});

describe('systemd units', () => {
  for (const unit of ['easygas-gateway.service', 'easygas-cloud.service']) {
    it(`${unit} passes systemd-analyze verify`, (t) => {
      const which = spawnSync('which', ['systemd-analyze']);
      if (which.status !== 0) {
        if (process.env.CI === 'true') assert.fail('systemd-analyze is required in CI (apt-get install systemd)');
        t.skip('systemd-analyze not installed');
        return;
      }
      const result = spawnSync('systemd-analyze', ['verify', join(ROOT, 'systemd', unit)], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr.trim(), '', `warnings:\n${result.stderr}`);
    });
  }
});
