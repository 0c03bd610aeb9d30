package org.rnn4j.core.io;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.core.Tensor;

/**
 * Reads and writes float32 tensors in the safetensors format: an 8-byte little-endian header
 * length {@code N}, {@code N} bytes of UTF-8 JSON mapping each tensor name to its dtype, shape and
 * byte range, then the raw little-endian data. The format holds data only, never code, so loading a
 * file from a stranger cannot run anything.
 *
 * <p>Reading validates everything before trusting it: the header length against the file size
 * and the format's limit of 100 MB,
 * strict JSON, each entry's dtype ({@code F32} only), shape (non-negative, product within limits),
 * byte range (inside the data section, matching the shape; together the ranges cover the data
 * section without overlap or hole, as the format requires), and UTF-8. Any violation is a {@link ModelFileException} naming the file and the tensor; nothing is
 * allocated beyond the file's own size. Writing goes to a temporary file in the same folder, is
 * forced to disk, then atomically renamed, so a crash leaves either the old file or the new one.
 */
public final class SafeTensors {

    private static final String METADATA_KEY = "__metadata__";
    private static final int ALIGNMENT = 8;
    /** The format's limit on the JSON header (the reference implementation's), so a lying length allocates nothing. */
    private static final long MAX_HEADER_BYTES = 100_000_000;
    /**
     * Most JSON values a header may hold (a tensor's entry takes about eight): parsed, each takes
     * some 40 bytes, so a 100 MB header of bare numbers cannot grow into gigabytes.
     */
    private static final long MAX_HEADER_VALUES = 4_000_000;
    /** Bytes moved per read or write call: large tensors stream through one buffer of this size. */
    private static final int CHUNK_BYTES = 1 << 20;

    private SafeTensors() {
    }

    /**
     * Tensors and string metadata read from one file, in the file's order.
     *
     * @param tensors  the tensors by name
     * @param metadata the {@code __metadata__} strings by key
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        /** Copies both maps into unmodifiable ones that keep the order. */
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** Bytes of tensor data: four per value. */
        public long dataBytes() {
            long bytes = 0;
            for (Tensor t : tensors.values()) {
                bytes += (long) Float.BYTES * t.size();
            }
            return bytes;
        }

        /**
         * What a loader may allocate to build the model this file describes: its weights and their
         * gradients (twice {@link #dataBytes()}) plus 64 KiB for small models, for {@link org.rnn4j.core.Memory#withBudget}.
         */
        public long modelBudget() {
            return 2 * dataBytes() + 64 * 1024;
        }
    }

    /**
     * Reads a whole safetensors file. The data is read tensor by tensor, so a file may be larger
     * than 2 GiB; each tensor must fit in one Java array.
     *
     * @throws ModelFileException when the file is not a valid float32 safetensors file
     * @throws IOException when it cannot be read
     */
    public static Contents read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header parsed = header(file, channel);
            long dataStart = parsed.dataStart();
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry entry : parsed.layout()) {
                float[] values = new float[entry.count];
                for (int from = 0; from < values.length; from += CHUNK_BYTES / Float.BYTES) {
                    int n = Math.min(CHUNK_BYTES / Float.BYTES, values.length - from);
                    chunk.clear().limit(n * Float.BYTES);
                    readFully(file, channel, chunk, dataStart + entry.begin + (long) from * Float.BYTES);
                    chunk.flip().asFloatBuffer().get(values, from, n);
                }
                tensors.put(entry.name, Tensor.wrap(values, entry.shape));
            }
            return new Contents(tensors, parsed.metadata());
        }
    }

    /**
     * Reads only the metadata of a safetensors file (its header, checked as {@link #read} checks it),
     * without the tensor data.
     *
     * @throws ModelFileException when the file is not a valid float32 safetensors file
     * @throws IOException when it cannot be read
     */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, channel).metadata();
        }
    }

    /** Reads and checks the header at the start of {@code channel}. */
    private static Header header(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw truncated(file, size);
        }
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, length, 0);
        long headerLength = checkHeaderLength(file, length.flip().getLong(), size);
        ByteBuffer header = ByteBuffer.allocate((int) headerLength);
        readFully(file, channel, header, 8);
        return header(file, header.flip(), size);
    }

    /**
     * Parses safetensors bytes already in memory.
     *
     * @param source the file they came from, for messages; may be null
     * @throws ModelFileException when the bytes are not a valid float32 safetensors file
     */
    public static Contents parse(Path source, byte[] bytes) throws ModelFileException {
        if (bytes.length < 8) {
            throw truncated(source, bytes.length);
        }
        long headerLength = checkHeaderLength(source,
                ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(), bytes.length);
        Header parsed = header(source, ByteBuffer.wrap(bytes, 8, (int) headerLength), bytes.length);
        int dataStart = (int) parsed.dataStart();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry entry : parsed.layout()) {
            float[] values = new float[entry.count];
            ByteBuffer.wrap(bytes, dataStart + (int) entry.begin, (int) (entry.end - entry.begin))
                    .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            tensors.put(entry.name, Tensor.wrap(values, entry.shape));
        }
        return new Contents(tensors, parsed.metadata());
    }

    private static ModelFileException truncated(Path source, long size) {
        return new ModelFileException(source, "truncated: " + size
                + " bytes, a safetensors file starts with an 8-byte header length");
    }

    /** The header length, once it is known to fit in the file and in the limit the format sets. */
    private static long checkHeaderLength(Path source, long headerLength, long fileSize) throws ModelFileException {
        if (headerLength < 2 || headerLength > fileSize - 8) {
            throw new ModelFileException(source, "header length " + Long.toUnsignedString(headerLength)
                    + " does not fit in a file of " + fileSize + " bytes");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new ModelFileException(source, "header of " + headerLength + " bytes is larger than the "
                    + MAX_HEADER_BYTES + " the safetensors format allows");
        }
        return headerLength;
    }

    /** A parsed header: the metadata, the validated tensor entries, and the file offset of the data section. */
    private record Header(Map<String, String> metadata, List<Entry> layout, long dataStart) {
    }

    /** Parses the header {@code utf8} (the bytes after the length) of a file of {@code fileSize} bytes. */
    private static Header header(Path source, ByteBuffer utf8, long fileSize) throws ModelFileException {
        long dataStart = 8L + utf8.remaining();
        long dataLength = fileSize - dataStart;
        String header;
        try {
            header = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(utf8).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFileException(source, "header is not valid UTF-8", e);
        }
        Object parsed;
        try {
            parsed = Json.parse(header, MAX_HEADER_VALUES);
        } catch (Json.JsonException e) {
            throw new ModelFileException(source, "header is not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> entries)) {
            throw new ModelFileException(source, "header must be a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> layout = new ArrayList<>();
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                metadata.putAll(metadata(source, e.getValue()));
            } else {
                layout.add(entry(source, name, e.getValue(), dataLength));
            }
        }
        checkLayout(source, layout, dataLength);
        return new Header(metadata, layout, dataStart);
    }

    private static void readFully(Path file, FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new ModelFileException(file, "the file ended at byte " + at + " while its header promised more;"
                        + " was it changed while being read?");
            }
            at += read;
        }
    }

    /**
     * Writes tensors and metadata atomically: to a temporary file beside {@code file}, forced to
     * disk, then renamed over {@code file}. An existing file is replaced only once the new one is
     * complete.
     *
     * @throws IllegalArgumentException when a name is empty or is {@code __metadata__}, or a metadata key or value is null
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                // The reader takes metadata as strings: a null would make a file that cannot be read back.
                throw new IllegalArgumentException("SafeTensors.write: metadata keys and values must be strings, given "
                        + e.getKey() + " = " + e.getValue());
            }
        }
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put(METADATA_KEY, new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("SafeTensors.write: a tensor name must be non-empty and not '"
                        + METADATA_KEY + "', given '" + e.getKey() + "'");
            }
            long bytes = 4L * e.getValue().size();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", "F32");
            info.put("shape", e.getValue().shape());
            info.put("data_offsets", List.of(offset, offset + bytes));
            header.put(e.getKey(), info);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        AtomicFiles.write(file, channel -> {
            AtomicFiles.writeFully(channel, head);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors.values()) {
                for (int from = 0; from < t.size(); from += CHUNK_BYTES / Float.BYTES) {
                    int n = Math.min(CHUNK_BYTES / Float.BYTES, t.size() - from);
                    chunk.clear();
                    chunk.asFloatBuffer().put(t.data(), from, n);
                    chunk.limit(n * Float.BYTES);
                    AtomicFiles.writeFully(channel, chunk);
                }
            }
        });
    }

    private record Entry(String name, int[] shape, int count, long begin, long end) {
    }

    private static Map<String, String> metadata(Path source, Object value) throws ModelFileException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new ModelFileException(source, "__metadata__ must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new ModelFileException(source, "__metadata__ value for '" + e.getKey() + "' must be a string");
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static Entry entry(Path source, String name, Object value, long dataLength) throws ModelFileException {
        if (!(value instanceof Map<?, ?> info)) {
            throw new ModelFileException(source, "tensor '" + name + "': entry must be an object");
        }
        Object dtype = info.get("dtype");
        if (!"F32".equals(dtype)) {
            throw new ModelFileException(source, "tensor '" + name + "': dtype " + dtype
                    + " is not supported, expected F32");
        }
        if (!(info.get("shape") instanceof List<?> dims)) {
            throw new ModelFileException(source, "tensor '" + name + "': shape must be an array of integers");
        }
        int[] shape = new int[dims.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = integer(source, name, "shape", dims.get(i));
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new ModelFileException(source, "tensor '" + name + "': dimension " + dims.get(i) + " is out of range");
            }
            shape[i] = (int) d;
            count *= d;
            if (count > dataLength / 4 + 1 && count > 0) {
                throw new ModelFileException(source, "tensor '" + name + "': shape " + dims
                        + " needs more bytes than the file's " + dataLength + "-byte data section");
            }
        }
        if (!(info.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2) {
            throw new ModelFileException(source, "tensor '" + name + "': data_offsets must be [begin, end]");
        }
        long begin = integer(source, name, "data_offsets", offsets.get(0));
        long end = integer(source, name, "data_offsets", offsets.get(1));
        if (begin < 0 || end < begin || end > dataLength) {
            throw new ModelFileException(source, "tensor '" + name + "': data_offsets [" + begin + ", " + end
                    + "] are outside the data section of " + dataLength + " bytes");
        }
        if (end - begin != 4 * count) {
            throw new ModelFileException(source, "tensor '" + name + "': shape " + Arrays.toString(shape) + " needs "
                    + 4 * count + " bytes, data_offsets give " + (end - begin));
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new ModelFileException(source, "tensor '" + name + "': shape " + Arrays.toString(shape) + " has "
                    + count + " values, more than one Java array holds");
        }
        return new Entry(name, shape, (int) count, begin, end);
    }

    private static long integer(Path source, String name, String field, Object value) throws ModelFileException {
        if (value instanceof BigDecimal d && d.scale() <= 0 && d.precision() - d.scale() <= 18) {
            return d.longValueExact();
        }
        if (value instanceof BigDecimal d && d.signum() == 0) {
            return 0;
        }
        throw new ModelFileException(source, "tensor '" + name + "': " + field + " holds " + value
                + ", expected an integer below 10^18");
    }

    /** The tensors' byte ranges cover the data section exactly, as the format requires: no overlap, no hole, nothing after. */
    private static void checkLayout(Path source, List<Entry> layout, long dataLength) throws ModelFileException {
        List<Entry> sorted = new ArrayList<>(layout);
        sorted.sort((a, b) -> a.begin != b.begin ? Long.compare(a.begin, b.begin) : Long.compare(a.end, b.end));
        long covered = 0;
        String last = null;
        for (Entry cur : sorted) {
            if (cur.begin < covered) {
                throw new ModelFileException(source, "tensors '" + last + "' and '" + cur.name
                        + "' overlap in the data section");
            }
            if (cur.begin > covered) {
                throw new ModelFileException(source, "bytes " + covered + " to " + cur.begin + " of the data section"
                        + " belong to no tensor (before '" + cur.name + "'); the format allows no holes");
            }
            covered = cur.end;
            last = cur.name;
        }
        if (covered != dataLength) {
            throw new ModelFileException(source, "the data section has " + dataLength + " bytes, its tensors take "
                    + covered + "; the format allows nothing after the last tensor");
        }
    }
}
