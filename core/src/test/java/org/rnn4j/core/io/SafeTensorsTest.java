package org.rnn4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.core.Tensor;

class SafeTensorsTest {

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsNamesOrderShapesValuesAndMetadata() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("weight_ih_l0", Tensor.wrap(new float[] {1, -2, 3.5f, Float.MIN_VALUE, -0f, 7}, 2, 3));
        tensors.put("bias", Tensor.wrap(new float[] {0.25f}, 1));
        tensors.put("empty", Tensor.zeros(0, 4));
        Path file = dir.resolve("m.safetensors");
        SafeTensors.write(file, tensors, Map.of("cell", "lstm"));
        SafeTensors.Contents back = SafeTensors.read(file);
        assertEquals(tensors, back.tensors());
        assertEquals(java.util.List.of("weight_ih_l0", "bias", "empty"), java.util.List.copyOf(back.tensors().keySet()));
        assertEquals("lstm", back.metadata().get("cell"));
        assertEquals(0, (Files.size(file) - 8 - 4 * 7) % 8, "header padded to 8 bytes");
        assertEquals(back.metadata(), SafeTensors.readMetadata(file));
    }

    @Test
    void metadataAloneIsCheckedAgainstTheFile() throws IOException {
        Path file = dir.resolve("cut.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.zeros(4)), Map.of("cell", "gru"));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        ModelFileException e = assertThrows(ModelFileException.class, () -> SafeTensors.readMetadata(file));
        assertEquals(e.getMessage(), assertThrows(ModelFileException.class, () -> SafeTensors.read(file)).getMessage());
    }

    @Test
    void tensorsLargerThanOneReadOrWriteBufferRoundTrip() throws IOException {
        // 300,001 floats span two 1 MiB chunks and end inside a third, unaligned to the chunk.
        float[] big = new float[300_001];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) rng.nextGaussian();
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("small", Tensor.wrap(new float[] {1, 2, 3}, 3));
        tensors.put("big", Tensor.wrap(big, 300_001));
        tensors.put("after", Tensor.wrap(new float[] {-4, 5}, 2));
        Path file = dir.resolve("big.safetensors");
        SafeTensors.write(file, tensors, Map.of());
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(8 + headerLength + 4L * (3 + 300_001 + 2), bytes.length, "the data section holds exactly the values");
        assertEquals(tensors, SafeTensors.read(file).tensors());
        assertEquals(tensors, SafeTensors.parse(file, bytes).tensors());
    }

    @Test
    void overwriteLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("w.safetensors");
        SafeTensors.write(file, Map.of("a", Tensor.zeros(3)), Map.of());
        SafeTensors.write(file, Map.of("a", Tensor.full(2f, 3)), Map.of());
        assertEquals(2f, SafeTensors.read(file).tensors().get("a").get(1));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aSavedFileGetsThePermissionsOfAnyNewFileThere() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path saved = dir.resolve("saved.safetensors");
        SafeTensors.write(saved, Map.of("a", Tensor.zeros(2)), Map.of());
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(saved));
    }

    @Test
    void failedWriteKeepsThePreviousFile() throws IOException {
        Path file = dir.resolve("keep.safetensors");
        SafeTensors.write(file, Map.of("a", Tensor.full(1f, 2)), Map.of());
        assertThrows(IOException.class, () -> AtomicFiles.write(file, ch -> {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            throw new IOException("disk full");
        }));
        assertEquals(Tensor.full(1f, 2), SafeTensors.read(file).tensors().get("a"));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void bytesReplaceAFileWholeAndLeaveNoTemporaryFile() throws IOException {
        Path file = dir.resolve("notes.txt");
        AtomicFiles.write(file, "a longer first version".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(file, "second".getBytes(StandardCharsets.UTF_8));
        assertEquals("second", Files.readString(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    private static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    private static String parseError(byte[] bytes) {
        return assertThrows(ModelFileException.class, () -> SafeTensors.parse(Path.of("x.safetensors"), bytes)).getMessage();
    }

    @Test
    void truncatedAndLyingHeadersAreClearErrors() {
        assertTrue(parseError(new byte[3]).contains("truncated"));
        byte[] lying = new byte[16];
        ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE - 3);
        assertTrue(parseError(lying).contains("does not fit"));
        ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        assertTrue(parseError(lying).contains("18446744073709551615"), parseError(lying));
    }

    @Test
    void badEntriesNameTheTensor() {
        String e1 = parseError(file("{\"w\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2));
        assertTrue(e1.contains("'w'") && e1.contains("F16"), e1);
        String e2 = parseError(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4));
        assertTrue(e2.contains("needs 8 bytes"), e2);
        String e3 = parseError(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 4));
        assertTrue(e3.contains("outside the data section"), e3);
        String e4 = parseError(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536,65536],\"data_offsets\":[0,4]}}", 4));
        assertTrue(e4.contains("needs more bytes"), e4);
        String e5 = parseError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12));
        assertTrue(e5.contains("overlap"), e5);
        String e6 = parseError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1e999999],\"data_offsets\":[0,4]}}", 4));
        assertTrue(e6.contains("expected an integer"), e6);
        String e7 = parseError(file("{\"a\":1,\"a\":2}", 0));
        assertTrue(e7.contains("duplicate key"), e7);
        String hole = parseError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12));
        assertTrue(hole.contains("bytes 4 to 8 of the data section belong to no tensor (before 'b')"), hole);
        String after = parseError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8));
        assertTrue(after.contains("the data section has 8 bytes, its tensors take 4"), after);
        String numbers = parseError(file("{\"a\":[" + "0,".repeat(4_000_000) + "0]}", 0));
        assertTrue(numbers.contains("more than 4000000 values"), numbers);
    }

    @Test
    void invalidUtf8HeaderIsRejected() {
        byte[] bytes = file("{\"ab\":1}", 0);
        bytes[10] = (byte) 0xC3;
        assertTrue(parseError(bytes).contains("UTF-8"));
    }

    @Test
    void shapeDisplayInErrorsUsesArrays() {
        byte[] bytes = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,4]}}", 4);
        String error = parseError(bytes);
        assertTrue(error.contains("[1, 2]"), error);
    }
}
