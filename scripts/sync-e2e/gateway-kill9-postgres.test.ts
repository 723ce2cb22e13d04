/** kill -9 of the gateway mid-batch, 20 times, against a PostgreSQL cloud (see gateway-kill9.ts). */
import { gatewayKill9Scenario } from './gateway-kill9.js';

gatewayKill9Scenario('postgres');
