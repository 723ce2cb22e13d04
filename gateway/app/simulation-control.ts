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
  return {
    setLevelPercent(sensorId, percent) {
      if (sensorId !== cylinderSensor) return false;
      home.world.lpgCylinder.setPercentOfFill(home.clock.now(), percent);
      return true;
    },
    trueLevelPercent(sensorId) {
      if (sensorId !== cylinderSensor) return undefined;
      return 100 * home.world.lpgCylinder.fillFractionAt(home.clock.now());
    },
  };
}
