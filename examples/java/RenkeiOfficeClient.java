// A care system's side of the renkei office API, in one file of Java 17 with nothing but the
// JDK: send the CSV files the care software exported, wait until the recipient imported
// them, and take in what arrived (fetch, write, confirm). Run it as a source file:
//
//   export RENKEI_API=http://127.0.0.1:8930/api/v1 RENKEI_API_KEY=renkei_…
//   java RenkeiOfficeClient.java send UPPLAN_….CSV UP1KYO_….CSV   # prints each destination's parcel
//   java RenkeiOfficeClient.java wait PARCEL 60                   # until 取込済 (exit 0) or another end
//   java RenkeiOfficeClient.java receive IMPORT_FOLDER 30         # write arrivals there, then confirm
//   java RenkeiOfficeClient.java reject PARCEL "reason"           # tell the sender why not
//
// The API is described by GET /api/v1/openapi.json. Errors are application/problem+json with
// a code and, for files, every problem (rule, file, line, column, item, field, fix).

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class RenkeiOfficeClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String api;
    private final String key;

    RenkeiOfficeClient(String api, String key) {
        this.api = api.endsWith("/") ? api.substring(0, api.length() - 1) : api;
        this.key = key;
    }

    public static void main(String[] args) throws Exception {
        String key = System.getenv("RENKEI_API_KEY");
        if (key == null || key.isBlank() || args.length < 2) {
            System.err.println("usage: RENKEI_API_KEY=… java RenkeiOfficeClient.java send FILE… | wait PARCEL [SECONDS] | receive FOLDER [SECONDS] | reject PARCEL REASON");
            System.exit(2);
        }
        String api = System.getenv().getOrDefault("RENKEI_API", "http://127.0.0.1:8930/api/v1");
        RenkeiOfficeClient client = new RenkeiOfficeClient(api, key);
        int status = switch (args[0]) {
            case "send" -> client.send(List.of(args).subList(1, args.length).stream().map(Path::of).toList());
            case "wait" -> client.waitFor(args[1], args.length > 2 ? Integer.parseInt(args[2]) : 60);
            case "receive" -> client.receive(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 30);
            case "reject" -> client.reject(args[1], args.length > 2 ? args[2] : "取り込めませんでした");
            default -> { System.err.println("unknown command " + args[0]); yield 2; }
        };
        System.exit(status);
    }

    /** POST /units with the files as multipart; the idempotency key is the files' digest, so
     *  running the same send again (after a lost answer) sends nothing twice. */
    int send(List<Path> files) throws Exception {
        String boundary = "renkei" + System.nanoTime();
        var body = new java.io.ByteArrayOutputStream();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            String name = file.getFileName().toString();
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update(bytes);
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
                    + name + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(bytes);
            body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = request("/units")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Idempotency-Key", HexFormat.of().formatHex(digest.digest()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        Map<String, Object> json = Json.object(answer.body());
        if (answer.statusCode() != 201) {
            printProblem(answer.statusCode(), json);
            return 1;
        }
        for (Object destination : Json.list(json.get("destinations"))) {
            Map<String, Object> d = Json.object(destination);
            System.out.println("sent " + d.get("parcel") + " to " + d.get("office") + " " + d.get("state_ja"));
        }
        return 0;
    }

    /** Wait on GET /sent/changes until the parcel is imported or ends otherwise. */
    int waitFor(String parcel, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long cursor = 0;
        while (System.nanoTime() < deadline) {
            Map<String, Object> answer = get("/sent/changes?after=" + cursor + "&wait=" + Math.min(30, seconds));
            cursor = ((Number) answer.get("cursor")).longValue();
            for (Object change : Json.list(answer.get("changes"))) {
                Map<String, Object> c = Json.object(change);
                if (!parcel.equals(c.get("parcel"))) continue;
                String state = (String) c.get("state");
                System.out.println(parcel + ": " + state);
                switch (state) {
                    case "imported": return 0;
                    case "import_error": case "not_imported": case "expired": case "purged": return 1;
                    default: break;
                }
            }
        }
        System.out.println(parcel + ": still not imported after " + seconds + " s");
        return 1;
    }

    /** Take in what arrived after the cursor kept in FOLDER/.renkei-cursor: each held parcel's
     *  files written whole (temporary name, then moved), then confirmed to the sender. */
    int receive(Path folder, int seconds) throws Exception {
        Files.createDirectories(folder);
        Path cursorFile = folder.resolve(".renkei-cursor");
        long cursor = Files.exists(cursorFile) ? Long.parseLong(Files.readString(cursorFile).trim()) : 0;
        Map<String, Object> arrivals = get("/received?after=" + cursor + "&wait=" + seconds);
        for (Object item : Json.list(arrivals.get("parcels"))) {
            Map<String, Object> arrival = Json.object(item);
            String parcel = (String) arrival.get("parcel");
            if ("held".equals(arrival.get("state"))) {
                for (Object name : Json.list(arrival.get("files"))) {
                    byte[] bytes = bytes("/received/" + parcel + "/files/" + encode((String) name));
                    Path partial = folder.resolve("." + name + ".partial");
                    Files.write(partial, bytes);
                    Files.move(partial, folder.resolve((String) name), StandardCopyOption.REPLACE_EXISTING);
                }
                post("/received/" + parcel + "/imported", null);
                System.out.println("imported " + parcel + " from " + arrival.get("from") + ": " + Json.list(arrival.get("files")).size() + " files");
            }
            cursor = ((Number) arrival.get("cursor")).longValue();
            Files.writeString(cursorFile, Long.toString(cursor));
        }
        return 0;
    }

    int reject(String parcel, String reason) throws Exception {
        post("/received/" + parcel + "/failed", "{\"reason\": " + Json.quote(reason) + "}");
        System.out.println("reported " + parcel + " as not imported");
        return 0;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(api + path))
                .timeout(Duration.ofSeconds(90))
                .header("Authorization", "Bearer " + key);
    }

    private Map<String, Object> get(String path) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return checked(answer);
    }

    private byte[] bytes(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> answer = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) throw new IOException(path + ": " + answer.statusCode());
        return answer.body();
    }

    private Map<String, Object> post(String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder builder = request(path);
        builder = json == null ? builder.POST(HttpRequest.BodyPublishers.noBody())
                : builder.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        return checked(http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    private static Map<String, Object> checked(HttpResponse<String> answer) throws IOException {
        Map<String, Object> json = Json.object(answer.body());
        if (answer.statusCode() / 100 != 2) {
            printProblem(answer.statusCode(), json);
            throw new IOException(answer.uri() + ": " + answer.statusCode() + " " + json.get("code"));
        }
        return json;
    }

    private static void printProblem(int status, Map<String, Object> problem) {
        System.out.println(status + " " + problem.get("code") + ": " + problem.get("title"));
        for (Object item : Json.list(problem.get("problems"))) {
            Map<String, Object> p = Json.object(item);
            StringBuilder where = new StringBuilder("  " + p.get("rule") + " " + p.get("file"));
            if (p.get("line") != null) where.append(" ").append(p.get("line")).append("行");
            if (p.get("column") != null) where.append(" 項目").append(p.get("column")).append("「").append(p.get("item")).append("」");
            System.out.println(where + ": " + p.get("message_ja") + " " + p.getOrDefault("fix_ja", ""));
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Just enough JSON for the API's answers: objects, arrays, strings, numbers, literals. */
    static final class Json {
        private final String text;
        private int at;

        private Json(String text) { this.text = text; }

        static Map<String, Object> object(Object value) {
            if (value instanceof String s) value = new Json(s).value();
            @SuppressWarnings("unchecked") Map<String, Object> map = value instanceof Map ? (Map<String, Object>) value : Map.of();
            return map;
        }

        static List<Object> list(Object value) {
            @SuppressWarnings("unchecked") List<Object> list = value instanceof List ? (List<Object>) value : List.of();
            return list;
        }

        static String quote(String s) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') out.append('\\').append(c);
                else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                else out.append(c);
            }
            return out.append('"').toString();
        }

        private Object value() {
            skip();
            if (at >= text.length()) return null;
            char c = text.charAt(at);
            if (c == '{') {
                Map<String, Object> map = new LinkedHashMap<>();
                at++;
                skip();
                if (text.charAt(at) == '}') { at++; return map; }
                while (true) {
                    skip();
                    String name = string();
                    skip();
                    at++; // ':'
                    map.put(name, value());
                    skip();
                    if (text.charAt(at++) == '}') return map;
                }
            }
            if (c == '[') {
                List<Object> list = new ArrayList<>();
                at++;
                skip();
                if (text.charAt(at) == ']') { at++; return list; }
                while (true) {
                    list.add(value());
                    skip();
                    if (text.charAt(at++) == ']') return list;
                }
            }
            if (c == '"') return string();
            if (text.startsWith("true", at)) { at += 4; return Boolean.TRUE; }
            if (text.startsWith("false", at)) { at += 5; return Boolean.FALSE; }
            if (text.startsWith("null", at)) { at += 4; return null; }
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) at++;
            String number = text.substring(start, at);
            // Not `?:`, which would make every number a double.
            if (number.contains(".") || number.contains("e") || number.contains("E")) return Double.parseDouble(number);
            return Long.parseLong(number);
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            at++; // opening quote
            while (true) {
                char c = text.charAt(at++);
                if (c == '"') return out.toString();
                if (c != '\\') { out.append(c); continue; }
                char e = text.charAt(at++);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> { out.append((char) Integer.parseInt(text.substring(at, at + 4), 16)); at += 4; }
                    default -> out.append(e);
                }
            }
        }

        private void skip() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
        }
    }
}
