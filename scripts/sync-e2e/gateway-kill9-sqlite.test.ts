/** kill -9 of the gateway mid-batch, 20 times, against a SQLite cloud (see gateway-kill9.ts). */
import { gatewayKill9Scenario } from './gateway-kill9.js';

gatewayKill9Scenario('sqlite');
