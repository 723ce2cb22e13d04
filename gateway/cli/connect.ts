/** From the command's --config/--data-dir (and EASYGAS_*) to a client of the running gateway's API. */
import { ApiClient } from './api-client.js';
import { apiAddressOf, locateGateway, type TargetOptions } from './gateway-locator.js';

export async function connectToGateway(options: TargetOptions, env: NodeJS.ProcessEnv = process.env): Promise<ApiClient> {
  const located = await locateGateway(options, env);
  const address = apiAddressOf(located);
  return new ApiClient({ url: address.url, ...(located.password !== undefined ? { password: located.password } : {}) });
}
