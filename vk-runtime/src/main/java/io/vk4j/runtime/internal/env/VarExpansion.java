package io.vk4j.runtime.internal.env;

import java.util.Map;

/**
 * Kubernetes' {@code $(VAR)} syntax: {@code $(NAME)} becomes the value of NAME when it is defined
 * and stays as written otherwise; {@code $$} is a literal {@code $}, so {@code $$(NAME)} yields
 * {@code $(NAME)}; any other {@code $} is kept.
 */
final class VarExpansion {
  private VarExpansion() {}

  static String expand(String input, Map<String, String> vars) {
    if (input == null || input.indexOf('$') < 0) {
      return input;
    }
    StringBuilder out = new StringBuilder(input.length());
    int i = 0;
    int n = input.length();
    while (i < n) {
      char c = input.charAt(i);
      if (c != '$' || i + 1 >= n) {
        out.append(c);
        i++;
        continue;
      }
      char next = input.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '(') {
        int close = input.indexOf(')', i + 2);
        if (close < 0) {
          out.append("$(");
          i += 2;
        } else {
          String name = input.substring(i + 2, close);
          String value = vars.get(name);
          out.append(value != null ? value : "$(" + name + ")");
          i = close + 1;
        }
      } else {
        out.append('$').append(next);
        i += 2;
      }
    }
    return out.toString();
  }
}
