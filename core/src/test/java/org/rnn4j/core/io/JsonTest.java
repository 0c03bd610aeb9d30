package org.rnn4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void parsesNestedValues() throws Exception {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, true, null], \"b\": {\"c\": \"x\\u00e9\\n\"}} ");
        Map<?, ?> m = (Map<?, ?>) v;
        List<?> a = (List<?>) m.get("a");
        assertEquals(new BigDecimal("1"), a.get(0));
        assertEquals(new BigDecimal("-2.5e3"), a.get(1));
        assertEquals(Boolean.TRUE, a.get(2));
        assertNull(a.get(3));
        assertEquals("x\u00e9\n", ((Map<?, ?>) m.get("b")).get("c"));
    }

    @Test
    void writeThenParseRoundTrips() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "q\"uote\\ \t\u0001");
        m.put("list", List.of(1, 2L, 3.5));
        m.put("shape", new int[] {2, 3});
        m.put("flag", false);
        Map<?, ?> back = (Map<?, ?>) Json.parse(Json.write(m));
        assertEquals(m.get("name"), back.get("name"));
        assertEquals(List.of(new BigDecimal("2"), new BigDecimal("3")), back.get("shape"));
        assertEquals(List.of(new BigDecimal("1"), new BigDecimal("2"), new BigDecimal("3.5")), back.get("list"));
        assertEquals(Boolean.FALSE, back.get("flag"));
        assertEquals(List.copyOf(m.keySet()), List.copyOf(back.keySet()), "every key, in order (objects parse insertion-ordered)");
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        var lone = assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("k", "a\ud800")));
        assertTrue(lone.getMessage().contains("lone surrogate"), lone.getMessage());
        assertEquals("x\ud83d\ude00", Json.parse(Json.write("x\ud83d\ude00")));
    }

    @Test
    void escapedSurrogatePairsDecodeToOneCodePoint() throws Exception {
        assertEquals("\ud83d\ude00", Json.parse("\"\\ud83d\\ude00\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1,]", "{\"a\":1,}", "{\"a\":1,\"a\":2}", "01", "1.", "\"\u0001\"",
        "\"\\x\"", "tru", "[1] 2", "{1:2}", "\"\ud800\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"x\\ud83dx\"", "-", "1e"})
    void rejectsInvalidJson(String text) {
        assertThrows(Json.JsonException.class, () -> Json.parse(text));
    }

    @Test
    void nestingStopsAtTheDocumentedDepthAndValuesAtTheGivenCount() throws Json.JsonException {
        Json.parse("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH));
        assertThrows(Json.JsonException.class, () -> Json.parse("[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1)));
        Json.parse("[1,2,3]", 4);
        var e = assertThrows(Json.JsonException.class, () -> Json.parse("[1,2,3,4]", 4));
        assertTrue(e.getMessage().contains("more than 4 values"), e.getMessage());
        // Unicode escapes take ASCII hex digits only, not other scripts' digits.
        assertThrows(Json.JsonException.class, () -> Json.parse("\"\\u\uFF10\uFF10\uFF14\uFF11\""));
    }

    @Test
    void deepNestingIsRejectedWithoutStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        var e = assertThrows(Json.JsonException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
    }
}
