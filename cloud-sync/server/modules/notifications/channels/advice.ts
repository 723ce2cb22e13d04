/**
 * What to do, by event kind and severity, in every channel's text. A gas alarm
 * says how to leave safely; a warning says what to check; "resolved" asks nothing.
 * Advice for LPG follows the usual gas-emergency guidance: no switches or flames,
 * air the room, shut the cylinder valve if safe, leave, call from outside.
 */
import type { MessageSeverity } from './message.js';

type Advice = Partial<Record<Exclude<MessageSeverity, 'resolved'>, readonly string[]>>;

const GAS_ALARM = [
  'Leave the building now and take everyone with you.',
  'Do not switch lights or appliances on or off, do not use a phone indoors, and put out any flame.',
  'Only if it is safe on your way out: open doors and windows and close the gas cylinder valve.',
  "From outside, call your gas supplier's emergency line or the emergency services.",
] as const;

const ADVICE: Readonly<Record<string, Advice>> = {
  gas: {
    critical: GAS_ALARM,
    warning: [
      'Check that every burner and appliance is off, and air the room by opening windows.',
      'Do not switch anything on or off near the smell until the level falls.',
      'If you smell gas strongly or the level keeps rising, treat it as an alarm: leave and call from outside.',
    ],
  },
  water_leak: {
    critical: [
      'Turn the water off at the main valve.',
      'Keep away from sockets and appliances in the wet area; switch their circuit off at the fuse box if you can reach it safely.',
    ],
    warning: ['Look under the sink and around the tank and pipes for water, and turn the water off at the main valve if you find a leak.'],
  },
  sudden_drop: {
    critical: ['The level fell quickly: check the tank, pipes and valves for a leak, and close the outlet valve if you find one.'],
    warning: ['The level fell quickly: check the tank, pipes and valves for a leak.'],
  },
  possible_leak: {
    warning: [
      'The tank lost water steadily while nothing should have been running: check taps, the toilet cistern, the float valve and the pipes.',
      'If you find a leak, turn the water off at the main valve.',
    ],
  },
  low_level: {
    critical: ['The tank is nearly empty: order a refill now.'],
    warning: ['Order a refill soon.'],
  },
  sensor_fault: {
    critical: [
      'This sensor cannot raise its alarm while it is faulty: check its cable and power.',
      'Until it is fixed, rely on a certified gas detector in the same room.',
    ],
    warning: ['Check the sensor’s cable and power; its readings are not trusted until it recovers.'],
  },
  device_offline: {
    critical: ['The gateway still sounds its alarms at home, but nothing reaches you from it: check its power and network.'],
    warning: ['The gateway still sounds its alarms at home, but nothing reaches you from it: check its power and network.'],
    info: ['The gateway still sounds its alarms at home, but nothing reaches you from it: check its power and network.'],
  },
};

export function adviceFor(kind: string, severity: MessageSeverity): readonly string[] {
  if (severity === 'resolved') return [];
  return ADVICE[kind]?.[severity] ?? [];
}
