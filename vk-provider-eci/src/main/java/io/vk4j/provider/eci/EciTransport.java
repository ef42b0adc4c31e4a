package io.vk4j.provider.eci;

import java.time.Duration;
import java.util.Map;

/** Sends one ECI API action and returns the JSON body of its response. */
interface EciTransport {

  /**
   * @param params the action's parameters, already flat ({@code Container.1.Command.1})
   * @param readTimeout how long to wait for the response
   */
  Map<String, Object> call(String action, Map<String, String> params, Duration readTimeout)
      throws EciApiException;
}
