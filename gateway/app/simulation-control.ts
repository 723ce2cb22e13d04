/**
 * The simulated home's tanks as the control API's SimulationControl: `--simulate`
 * can set the LPG cylinder's contents, so `easygas calibrate` can be rehearsed
 * (and tested) with the tank "empty" and "full" without waiting weeks.
 */
import type { SimulationControl } from '../api/control-target.js';
import type { GatewayConfig } from '../config/schema.js';
import type { SimulatedHome } from './simulated-home.js';

export function simulationControl(config: GatewayConfig, home: SimulatedHome): SimulationControl {
  // The simulated home feeds the story's cylinder to the first ADS1115 level sensor.
  const cylinderSensor = config.sensors.find((s) => s.kind === 'level' && s.source.driver === 'ads1115')?.id;
  // …and its water tank to every ultrasonic sensor (the world has one tank, as tall as the config's).
  const tankSensors = new Set(config.sensors.filter((s) => s.source.driver === 'ultrasonic').map((s) => s.id));
  const { lpgCylinder, waterTank } = home.world;
  return {
    setLevelPercent(sensorId, percent) {
      if (sensorId === cylinderSensor) lpgCylinder.setPercentOfFill(home.clock.now(), percent);
      else if (tankSensors.has(sensorId)) waterTank.setLevelMm(home.clock.now(), (percent / 100) * waterTank.heightMm);
      else return false;
      return true;
    },
    trueLevelPercent(sensorId) {
      if (sensorId === cylinderSensor) return 100 * lpgCylinder.fillFractionAt(home.clock.now());
      if (tankSensors.has(sensorId)) return (100 * waterTank.levelMmAt(home.clock.now())) / waterTank.heightMm;
      return undefined;
    },
  };
}
