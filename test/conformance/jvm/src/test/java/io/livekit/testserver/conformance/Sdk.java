package io.livekit.testserver.conformance;

import io.livekit.server.AgentDispatchServiceClient;
import io.livekit.server.ConnectorServiceClient;
import io.livekit.server.EgressServiceClient;
import io.livekit.server.IngressServiceClient;
import io.livekit.server.RoomServiceClient;
import io.livekit.server.SipServiceClient;
import io.livekit.server.okhttp.OkHttpFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The SDK's service clients, each on the OkHttp client the SDK builds itself ({@link
 * OkHttpFactory}). What a test adds (the X-Lk-Mock control header, legacy headers, a hand-made token
 * in place of the SDK's own) goes in through the factory's configurator, the SDK's documented way
 * to customise its client, as an interceptor: the request still leaves through the SDK's Retrofit
 * and OkHttp stack.
 */
final class Sdk {
  private final Map<String, Supplier<String>> headers = new LinkedHashMap<>();
  private final Set<String> removed = new HashSet<>();
  private String secret = Target.secret();
  private Duration timeout = Duration.ofSeconds(20);
  private boolean custom;
  private List<String> attempts;

  private Sdk() {}

  /** Clients exactly as the SDK's {@code createClient(host, key, secret)} makes them. */
  static Sdk plain() {
    return new Sdk();
  }

  /** Clients that send {@code control} as the X-Lk-Mock header on every request. */
  static Sdk control(Map<String, Object> control) {
    return new Sdk().header("X-Lk-Mock", Json.write(control));
  }

  Sdk header(String name, String value) {
    return header(name, () -> value);
  }

  /** A header whose value is read again for every request (and every retry OkHttp makes). */
  Sdk header(String name, Supplier<String> value) {
    headers.put(name, value);
    custom = true;
    return this;
  }

  /** Notes "METHOD URL" of every request that reaches the network, retries included. */
  Sdk recordAttempts(List<String> attempts) {
    this.attempts = attempts;
    custom = true;
    return this;
  }

  /** Signs the SDK's own tokens with this secret. */
  Sdk secret(String secret) {
    this.secret = secret;
    return this;
  }

  /** Replaces the token the SDK signed for each call with {@code token} (never the grants). */
  Sdk token(String token) {
    return header("Authorization", "Bearer " + token);
  }

  /** Sends no Authorization header at all. */
  Sdk withoutToken() {
    removed.add("Authorization");
    custom = true;
    return this;
  }

  /** OkHttp's call timeout: the whole call, connection to last byte of the body. */
  Sdk timeout(Duration timeout) {
    this.timeout = timeout;
    custom = true;
    return this;
  }

  RoomServiceClient room() {
    return client(RoomServiceClient::createClient);
  }

  EgressServiceClient egress() {
    return client(EgressServiceClient::createClient);
  }

  IngressServiceClient ingress() {
    return client(IngressServiceClient::createClient);
  }

  SipServiceClient sip() {
    return client(SipServiceClient::createClient);
  }

  AgentDispatchServiceClient agentDispatch() {
    return client(AgentDispatchServiceClient::createClient);
  }

  ConnectorServiceClient connector() {
    return client(ConnectorServiceClient::createClient);
  }

  /** The shape of every service client's {@code createClient(host, key, secret, okHttpSupplier)}. */
  private interface Factory<T> {
    T create(String host, String key, String secret, Supplier<OkHttpClient> okHttp);
  }

  private <T> T client(Factory<T> factory) {
    // A plain OkHttpFactory is the SDK's own default for createClient(host, key, secret).
    return factory.create(Target.url(), Target.key(), secret, custom ? http() : new OkHttpFactory());
  }

  private Supplier<OkHttpClient> http() {
    Map<String, Supplier<String>> added = Map.copyOf(headers);
    Set<String> dropped = Set.copyOf(removed);
    Duration callTimeout = timeout;
    List<String> seen = attempts;
    return new OkHttpFactory(
        false,
        builder -> {
          builder
              .callTimeout(callTimeout)
              .addInterceptor(
                  chain -> {
                    Request.Builder request = chain.request().newBuilder();
                    added.forEach((name, value) -> request.header(name, value.get()));
                    dropped.forEach(request::removeHeader);
                    return chain.proceed(request.build());
                  });
          if (seen != null) {
            builder.addNetworkInterceptor(
                chain -> {
                  seen.add(chain.request().method() + " " + chain.request().url());
                  return chain.proceed(chain.request());
                });
          }
        });
  }
}
