import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { HardwareError } from '../fault.js';
import { findHeaderGpioChip, listGpioChips, sysfsNumber, type GpioChipInfo } from './gpio-chip.js';

interface FakeChip {
  readonly base: number;
  readonly label: string;
  readonly ngpio: number;
}

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A /sys/class/gpio look-alike with the chips created in the order given. */
function sysfs(chips: readonly FakeChip[]): string {
  const root = mkdtempSync(join(tmpdir(), 'easygas-gpio-'));
  roots.push(root);
  writeFileSync(join(root, 'export'), '');
  writeFileSync(join(root, 'unexport'), '');
  for (const chip of chips) {
    const dir = join(root, `gpiochip${chip.base}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'label'), `${chip.label}\n`);
    writeFileSync(join(dir, 'base'), `${chip.base}\n`);
    writeFileSync(join(dir, 'ngpio'), `${chip.ngpio}\n`);
  }
  return root;
}

async function rejection(promise: Promise<unknown>): Promise<HardwareError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof HardwareError, `expected a HardwareError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

describe('findHeaderGpioChip', () => {
  it('Pi 4 on kernel 6.6: bcm2711 at 512, not the expander at 570 that sorts first', async () => {
    // The expander's directory is created first, so readdir may well list it first: the label decides.
    const root = sysfs([
      { base: 570, label: 'raspberrypi-exp-gpio', ngpio: 8 },
      { base: 512, label: 'pinctrl-bcm2711', ngpio: 58 },
    ]);
    const chip = await findHeaderGpioChip(root);
    assert.deepEqual(chip, { name: 'gpiochip512', label: 'pinctrl-bcm2711', base: 512, ngpio: 58 });
    assert.equal(sysfsNumber(chip, 4), 516);
    assert.equal(sysfsNumber(chip, 17), 529);
  });

  it('Pi 5: rp1 at 571 among the BCM2712 chips', async () => {
    const root = sysfs([
      { base: 512, label: 'gpio-brcmstb@107d508500', ngpio: 32 },
      { base: 544, label: 'gpio-brcmstb@107d508520', ngpio: 4 },
      { base: 548, label: 'gpio-brcmstb@107d517c00', ngpio: 17 },
      { base: 565, label: 'gpio-brcmstb@107d517c20', ngpio: 6 },
      { base: 571, label: 'pinctrl-rp1', ngpio: 54 },
    ]);
    const chip = await findHeaderGpioChip(root);
    assert.equal(chip.label, 'pinctrl-rp1');
    assert.equal(sysfsNumber(chip, 17), 588);
  });

  it('Pi 5 on a 6.1 kernel: rp1 at 399', async () => {
    const root = sysfs([
      { base: 399, label: 'pinctrl-rp1', ngpio: 54 },
      { base: 453, label: 'gpio-brcmstb@107d508500', ngpio: 32 },
      { base: 485, label: 'gpio-brcmstb@107d517c00', ngpio: 15 },
    ]);
    const chip = await findHeaderGpioChip(root);
    assert.equal(chip.base, 399);
    assert.equal(sysfsNumber(chip, 4), 403);
  });

  it('Pi 3 on a legacy kernel: bcm2835 at 0, expander at 504', async () => {
    const root = sysfs([
      { base: 504, label: 'raspberrypi-exp-gpio', ngpio: 8 },
      { base: 0, label: 'pinctrl-bcm2835', ngpio: 54 },
    ]);
    const chip = await findHeaderGpioChip(root);
    assert.equal(chip.label, 'pinctrl-bcm2835');
    assert.equal(sysfsNumber(chip, 17), 17);
  });

  it('rejects with the sysfs hint when /sys/class/gpio does not exist', async () => {
    const err = await rejection(findHeaderGpioChip(join(tmpdir(), 'easygas-no-such-gpio-dir')));
    assert.equal(err.code, 'missing');
    assert.match(err.hint ?? '', /CONFIG_GPIO_SYSFS/);
    assert.match(err.hint ?? '', /--simulate/);
  });

  it('rejects listing the labels it found when none is a Pi header', async () => {
    const root = sysfs([
      { base: 0, label: 'sunxi-pinctrl', ngpio: 224 },
      { base: 352, label: 'r_pio', ngpio: 32 },
    ]);
    const err = await rejection(findHeaderGpioChip(root));
    assert.equal(err.code, 'missing');
    assert.match(err.message, /gpiochip0 "sunxi-pinctrl", gpiochip352 "r_pio"/);
    assert.match(err.hint ?? '', /pinctrl-bcm2711, pinctrl-bcm2835, pinctrl-rp1/);
  });

  it('rejects when sysfs GPIO exists but holds no chip', async () => {
    const err = await rejection(findHeaderGpioChip(sysfs([])));
    assert.equal(err.code, 'missing');
    assert.match(err.message, /no gpiochip/);
  });

  it('skips a chip whose attributes are unreadable', async () => {
    const root = sysfs([{ base: 512, label: 'pinctrl-bcm2711', ngpio: 58 }]);
    mkdirSync(join(root, 'gpiochip600'));
    writeFileSync(join(root, 'gpiochip600', 'label'), 'pinctrl-bcm2711\n');
    const chips = await listGpioChips(root);
    assert.deepEqual(chips.map((c) => c.name), ['gpiochip512']);
  });
});

describe('sysfsNumber', () => {
  const pi4: GpioChipInfo = { name: 'gpiochip512', label: 'pinctrl-bcm2711', base: 512, ngpio: 58 };
  const small: GpioChipInfo = { name: 'gpiochip0', label: 'pinctrl-bcm2835', base: 0, ngpio: 20 };

  it('adds the base to a header line', () => {
    assert.equal(sysfsNumber(pi4, 0), 512);
    assert.equal(sysfsNumber(pi4, 27), 539);
  });

  it('refuses lines off the header or off the chip', () => {
    for (const line of [-1, 28, 57, 58, 2.5]) {
      assert.throws(() => sysfsNumber(pi4, line), (err: unknown) => {
        assert.ok(err instanceof HardwareError);
        assert.equal(err.code, 'out_of_range');
        assert.match(err.hint ?? '', /BCM number from 0 to 27/);
        return true;
      });
    }
    assert.throws(() => sysfsNumber(small, 20), /20 lines/);
    assert.equal(sysfsNumber(small, 19), 19);
  });
});
