package org.karellab.lm;

import java.util.List;

/**
 * Everything {@link Gpt} needs, and nothing else (nanoGPT's {@code GPTConfig}): the part
 * {@link LmConfig#model()} of a run's config. Defaults and their reasons are in
 * {@link LmConfig.Builder}.
 *
 * <p>The spec's feature width, the vocabulary and the context length are not set but derived:
 * {@link #featDim()} and {@link #vocabSize()} from the encoding, {@link #contextLength()} from the
 * encoding, the data's {@code specExamples} and {@code maxActions}. So a model always fits the
 * batches its encoding makes.
 *
 * @param encoding      how a specification reaches the model, a name registered in
 *                      {@link SpecEncodings}: "ego", "grid" or "text"
 * @param specExamples  input/output examples per specification; training takes it from the
 *                      dataset's manifest
 * @param maxActions    the most actions the model writes for one program (the decoder's cap)
 * @param nLayer        transformer blocks
 * @param dModel        residual stream width
 * @param nHead         attention heads (dModel must be a multiple)
 * @param mlpRatio      MLP hidden width as a multiple of dModel
 * @param dropout       dropout on embeddings, attention weights and residual branches
 * @param tieEmbeddings the LM head shares the token embedding table
 * @param seed          seed of the initial weights and of the dropout masks (the data has its own)
 * @param specHidden    0: {@code spec_proj} is one linear map of a spec position's features; H > 0:
 *                      a per-position MLP front end, {@code spec_mlp(GELU(spec_proj(x)))} with
 *                      {@code spec_proj} (H, F) and {@code spec_mlp} (C, H), which can express
 *                      interactions of features (issue 12, docs/cpu-recipe.md E9)
 * @param specConv      0: {@code spec_proj} reads the features as they are; K > 0 (canvas encodings
 *                      only, see {@link CanvasShape}): a convolutional front end per pair first,
 *                      {@code GELU(spec_conv(canvas))}, a 3x3 convolution with K output channels
 *                      over the canvas with the start facing's one-hot as 4 more channels at every
 *                      cell (unless {@code specConvFacing} is false); {@code spec_proj} then reads its K x side x side outputs and the start
 *                      pose (issue 12, docs/cpu-recipe.md E11)
 * @param specConvFacing with {@code specConv} K > 0: true broadcasts the start facing's one-hot to
 *                      every cell as 4 more input channels of the convolution, so its filters can
 *                      depend on the start facing; false leaves the start facing out of the
 *                      convolution (it still reaches {@code spec_proj} among the extra features),
 *                      so the front end sees the canvas alone (E12). Must stay true without
 *                      {@code specConv}
 */
public record ModelShape(
        String encoding,
        int specExamples,
        int maxActions,
        int nLayer,
        int dModel,
        int nHead,
        int mlpRatio,
        double dropout,
        boolean tieEmbeddings,
        long seed,
        int specHidden,
        int specConv,
        boolean specConvFacing) {

    /** The keys derived, not set: in the JSON form for readers, never in {@code --set}. */
    public static final List<String> DERIVED = List.of("featDim", "vocabSize", "contextLength");

    /** F: features per spec position, from the encoding (0 for text, which sends the spec as tokens). */
    public int featDim() {
        return SpecEncodings.shared(encoding).featDim();
    }

    /**
     * The width {@code spec_proj} reads: {@link #featDim()}, or with {@code specConv} K the
     * convolution's K x side x side outputs plus the extra features after the canvas.
     */
    public int specInputWidth() {
        if (specConv == 0) {
            return featDim();
        }
        CanvasShape c = canvas();
        return specConv * c.side() * c.side() + c.extra();
    }

    /** Input channels of the convolutional front end ({@code specConv} > 0): the canvas's, and the start facing's when broadcast. */
    public int specConvChannels() {
        return canvas().convChannels(specConvFacing);
    }

    /** The canvas layout of the encoding's features; only for encodings that have one. */
    public CanvasShape canvas() {
        return SpecEncodings.shared(encoding).canvasShape().orElseThrow(
                () -> new LmException("config: encoding " + encoding + " has no canvas"));
    }

    /** V: token vocabulary size, from the encoding. */
    public int vocabSize() {
        return SpecEncodings.shared(encoding).vocabSize();
    }

    /** Positions: the spec of {@code specExamples} examples, BOS and {@code maxActions} actions. */
    public int contextLength() {
        return SpecEncodings.shared(encoding).contextLength(specExamples, maxActions);
    }

    /** The value of a derived key ({@link #DERIVED}). */
    public int derived(String key) {
        return switch (key) {
            case "featDim" -> featDim();
            case "vocabSize" -> vocabSize();
            case "contextLength" -> contextLength();
            default -> throw new IllegalArgumentException("not a derived key: " + key);
        };
    }

    /**
     * A copy with one key set from its text form.
     *
     * @throws LmException for an unknown or derived key, or a value of the wrong type
     */
    public ModelShape with(String key, String value) {
        if (DERIVED.contains(key)) {
            throw new LmException(derivedMessage(key));
        }
        if (!ConfigKeys.has(ModelShape.class, key)) {
            throw new LmException("unknown model key '" + key + "' (known: "
                    + String.join(", ", ConfigKeys.names(ModelShape.class)) + ")");
        }
        return ConfigKeys.with(this, key, value);
    }

    /** Why a derived key cannot be set, and what to set instead. */
    String derivedMessage(String key) {
        String from = key.equals("contextLength") ? "encoding, specExamples and maxActions" : "encoding";
        return "config key '" + key + "' is derived from " + from + " (here " + derived(key) + "), not set: set "
                + (key.equals("contextLength") ? "maxActions or encoding" : "encoding") + " instead";
    }

    /** Checks the ranges and relations of the keys and returns this shape. */
    public ModelShape validate() {
        SpecEncodings.entry(encoding);
        require(nLayer > 0 && dModel > 0 && nHead > 0 && mlpRatio > 0, "nLayer, dModel, nHead and mlpRatio must be positive");
        require(dModel % nHead == 0, "dModel " + dModel + " is not a multiple of nHead " + nHead);
        require(specExamples > 0 && maxActions > 0, "specExamples and maxActions must be positive");
        require(vocabSize() >= Tokens.FIRST_FREE, "encoding " + encoding + " has vocabSize " + vocabSize()
                + ", below " + Tokens.FIRST_FREE);
        require(dropout >= 0 && dropout < 1, "dropout " + dropout + " is not in [0, 1)");
        require(specHidden >= 0, "specHidden " + specHidden + " is negative");
        require(specHidden == 0 || featDim() > 0, "specHidden needs an encoding with spec features, not " + encoding);
        require(specConv >= 0, "specConv " + specConv + " is negative");
        require(specConv == 0 || SpecEncodings.shared(encoding).canvasShape().isPresent(),
                "specConv needs an encoding that draws each pair on a canvas (ego, north, north4, abs, abs4), not " + encoding);
        require(specConvFacing || specConv > 0, "specConvFacing=false needs specConv > 0 (there is no convolution to leave it out of)");
        return this;
    }

    /** Number of trainable parameters of the {@link Gpt} of this shape. */
    public long parameterCount() {
        long d = dModel;
        long hidden = (long) mlpRatio * d;
        long block = 2 * d                       // ln1
                + d * 3 * d + 3 * d              // attn.qkv
                + d * d + d                      // attn.proj
                + 2 * d                          // ln2
                + d * hidden + hidden            // mlp.fc
                + hidden * d + d;                // mlp.proj
        long featDim = featDim();
        long vocab = vocabSize();
        long h = specHidden > 0 ? specHidden : d;                // spec_proj's output width
        long spec = featDim > 0 ? (long) specInputWidth() * h + h : 0;
        if (specConv > 0) {
            spec += (long) specConv * specConvChannels() * 9 + specConv;   // spec_conv
        }
        if (specHidden > 0) {
            spec += h * d + d;                                   // spec_mlp
        }
        long head = tieEmbeddings ? 0 : vocab * d;
        return spec + vocab * d + (long) contextLength() * d + nLayer * block + 2 * d + head;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new LmException("config: " + message);
        }
    }
}
