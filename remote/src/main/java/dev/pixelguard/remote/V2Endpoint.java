package dev.pixelguard.remote;

import dev.pixelguard.InputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a model lives on an Open Inference Protocol v2 server, parsed from a location such as
 * {@code http://127.0.0.1:8000/v2/models/resnet20} or {@code https://host/prefix/v2/models/m/versions/2}.
 *
 * @param base the scheme, authority and any path prefix before {@code /v2}, without a trailing slash
 * @param model the model name
 * @param version the version, or null for the server's choice
 */
public record V2Endpoint(URI base, String model, String version) {
  private static final Pattern PATH = Pattern.compile("(.*?)/v2/models/([^/]+)(?:/versions/([^/]+))?/?");

  /**
   * Parses a location.
   *
   * @throws InputException if it is not an http or https URL whose path ends in {@code /v2/models/NAME}
   *     (optionally {@code /versions/V})
   */
  public static V2Endpoint parse(String location) {
    URI uri;
    try {
      uri = new URI(location.trim());
    } catch (URISyntaxException e) {
      throw new InputException("model " + location + " is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new InputException("model " + location + " is not an http:// or https:// URL with a host");
    }
    Matcher m = PATH.matcher(uri.getRawPath() == null ? "" : uri.getRawPath());
    if (!m.matches() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new InputException("model " + location + ": a remote model is given as http://HOST:PORT/v2/models/NAME "
          + "(Open Inference Protocol v2), optionally ending /versions/VERSION");
    }
    URI base = URI.create(scheme + "://" + uri.getRawAuthority() + m.group(1));
    return new V2Endpoint(base, decode(m.group(2)), m.group(3) == null ? null : decode(m.group(3)));
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private String modelPath() {
    String p = "/v2/models/" + encode(model);
    return version == null ? p : p + "/versions/" + encode(version);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code GET}: the server's metadata (name, version, extensions). */
  public URI server() {
    return URI.create(base + "/v2");
  }

  /** {@code GET}: the model's metadata. */
  public URI metadata() {
    return URI.create(base + modelPath());
  }

  /** {@code GET}: whether the model is ready. */
  public URI ready() {
    return URI.create(base + modelPath() + "/ready");
  }

  /** {@code POST}: inference. */
  public URI infer() {
    return URI.create(base + modelPath() + "/infer");
  }

  /** The location as users write it. */
  @Override
  public String toString() {
    return base + modelPath();
  }
}
