package org.karellab.lm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which hidden states a forward pass keeps (see {@link Gpt#hiddenNames(int)}): none, all, or those
 * matching any of a few patterns. A pattern is a name, or a glob where {@code *} stands for any run
 * of characters: {@code blocks.*.resid_post} keeps the residual stream after every block,
 * {@code blocks.1.*} every state of block 1.
 *
 * <pre>
 *   model.forward(scope, batch, false, HiddenFilter.of("blocks.0.resid_pre", "blocks.*.resid_post"));
 * </pre>
 */
public final class HiddenFilter implements Predicate<String> {
    private static final HiddenFilter NONE = new HiddenFilter(List.of());
    private static final HiddenFilter ALL = new HiddenFilter(List.of("*"));

    private final List<String> patterns;
    private final List<Pattern> compiled;

    private HiddenFilter(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        List<Pattern> c = new ArrayList<>();
        for (String p : patterns) {
            c.add(glob(p));
        }
        this.compiled = List.copyOf(c);
    }

    /** Keeps nothing: the cheapest pass (training, plain decoding). */
    public static HiddenFilter none() {
        return NONE;
    }

    /** Keeps every hidden state. */
    public static HiddenFilter all() {
        return ALL;
    }

    /**
     * Keeps the states matching any of {@code patterns} (names or globs with {@code *}). With no
     * pattern it keeps nothing.
     *
     * @throws IllegalArgumentException on a blank pattern
     */
    public static HiddenFilter of(String... patterns) {
        return of(List.of(patterns));
    }

    /** As {@link #of(String...)}. */
    public static HiddenFilter of(List<String> patterns) {
        for (String p : patterns) {
            if (p == null || p.isBlank()) {
                throw new IllegalArgumentException("hidden filter: blank pattern in " + patterns);
            }
        }
        return patterns.isEmpty() ? NONE : new HiddenFilter(patterns);
    }

    @Override
    public boolean test(String name) {
        for (Pattern p : compiled) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** True when nothing is kept. */
    public boolean keepsNothing() {
        return patterns.isEmpty();
    }

    public List<String> patterns() {
        return patterns;
    }

    /**
     * The names of a model with {@code nLayer} blocks that this filter keeps, in
     * {@link Gpt#hiddenNames(int)} order.
     *
     * @throws LmException when a pattern matches no hidden state of such a model (a typo, or a
     *     block the model does not have)
     */
    public List<String> select(int nLayer) {
        List<String> names = Gpt.hiddenNames(nLayer);
        for (int i = 0; i < patterns.size(); i++) {
            Pattern p = compiled.get(i);
            if (names.stream().noneMatch(n -> p.matcher(n).matches())) {
                throw new LmException("hidden filter: '" + patterns.get(i) + "' matches no hidden state of a "
                        + nLayer + "-block model (names: blocks.{i}.resid_pre, blocks.{i}.resid_mid, "
                        + "blocks.{i}.resid_post, ln_final.normalized)");
            }
        }
        return names.stream().filter(this).toList();
    }

    private static Pattern glob(String pattern) {
        String[] parts = pattern.split("\\*", -1);          // "a*b" -> [a, b]; "*" -> [, ]
        StringBuilder regex = new StringBuilder(Pattern.quote(parts[0]));
        for (int i = 1; i < parts.length; i++) {
            regex.append(".*").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString());
    }

    @Override
    public String toString() {
        return "HiddenFilter" + patterns;
    }
}
