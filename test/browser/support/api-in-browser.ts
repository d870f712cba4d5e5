import type { AddressInfo } from 'node:net';
import { startApiUnderTest, type ApiUnderTest } from '../../api/support/api-under-test';

export interface ApiInBrowser extends ApiUnderTest {
  /** `http://127.0.0.1:<port>` where the API listens, no trailing slash. */
  baseUrl: string;
}

/**
 * The real API as e2e specs have it (startApiUnderTest: a database of its own, migrated), but
 * listening on a free port of 127.0.0.1 so a browser can open it. One per spec file:
 * `beforeAll(start)`, `afterAll(close)`.
 */
export async function startApiForBrowser(
  label: string,
  options: Parameters<typeof startApiUnderTest>[1] = {},
): Promise<ApiInBrowser> {
  const api = await startApiUnderTest(label, options);
  try {
    await api.app.listen(0, '127.0.0.1');
  } catch (error) {
    await api.close();
    throw error;
  }
  const { port } = api.app.getHttpServer().address() as AddressInfo;
  return { ...api, baseUrl: `http://127.0.0.1:${port}` };
}
