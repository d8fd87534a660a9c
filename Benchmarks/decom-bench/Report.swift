import Foundation

/// The figures of one fleet size.
struct SizeResult {
    var devices: Int
    var seedSeconds: Double
    var figures: [Figure]
}

/// The table and the JSON object.
enum Report {
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        if value >= 100 || value == value.rounded() { return String(format: "%.0f", value) }
        if value >= 10 { return String(format: "%.1f", value) }
        return String(format: "%.2f", value)
    }

    static func table(_ results: [SizeResult], machine: Machine, runs: Int) -> String {
        var lines = [
            "decom-bench: \(machine.summary), \(runs) runs per figure (median and worst)", "",
        ]
        let header = [
            "devices", "figure", "median", "worst", "bare median", "ratio", "target", "met",
            "what",
        ]
        var rows: [[String]] = [header]
        for result in results {
            for figure in result.figures {
                let unit = figure.unit == "ms" ? "" : " " + figure.unit
                rows.append([
                    count(result.devices), figure.name,
                    number(figure.ours.median) + unit, number(figure.ours.worst) + unit,
                    figure.bare.map { number($0.median) + unit } ?? "",
                    figure.ratio.map { number($0) + "x" } ?? "",
                    figure.target.text,
                    figure.met.map { $0 ? "yes" : "NO" } ?? "",
                    figure.note,
                ])
            }
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for (index, row) in rows.enumerated() {
            let cells = row.enumerated().map { column, text in
                let pad = String(repeating: " ", count: widths[column] - text.count)
                // Numbers right-aligned, text left-aligned.
                return (2...5).contains(column) ? pad + text : text + pad
            }
            lines.append(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
            if index == 0 {
                lines.append(
                    widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
            }
        }
        lines.append("")
        lines.append(
            "Times in milliseconds. Bare: the sqlite3 shell, timed around its process (nothing"
                + " subtracted); \"bare: C floor\": decom-floor, plain C over the same SQLite"
                + " doing the same filter (Benchmarks/README.md).")
        for result in results {
            lines.append(
                "Fleet of \(count(result.devices)) generated in "
                    + String(format: "%.1f", result.seedSeconds) + " s.")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ results: [SizeResult], machine: Machine, runs: Int) throws -> String {
        func clean(_ value: Double) -> Any { value.isFinite ? value : NSNull() }
        let sizes: [[String: Any]] = results.map { result in
            [
                "devices": result.devices,
                "seed_seconds": result.seedSeconds,
                "figures": result.figures.map { figure -> [String: Any] in
                    var object: [String: Any] = [
                        "name": figure.name.trimmingCharacters(in: .whitespaces),
                        "unit": figure.unit,
                        "median": clean(figure.ours.median),
                        "worst": clean(figure.ours.worst),
                        "samples": figure.ours.values,
                        "note": figure.note,
                    ]
                    if let bare = figure.bare {
                        object["bare_median"] = clean(bare.median)
                        object["bare_worst"] = clean(bare.worst)
                    }
                    if let ratio = figure.ratio { object["ratio"] = clean(ratio) }
                    if !figure.target.text.isEmpty { object["target"] = figure.target.text }
                    if let met = figure.met { object["met"] = met }
                    return object
                },
            ]
        }
        let object: [String: Any] = [
            "machine": ["cores": machine.cores, "memory_mb": machine.memoryMB],
            "runs": runs,
            "sizes": sizes,
        ]
        let data = try JSONSerialization.data(
            withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func count(_ value: Int) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}

/// The machine the benchmark ran on.
struct Machine {
    var cores: Int
    var memoryMB: Int

    static var current: Machine {
        let info = ProcessInfo.processInfo
        return Machine(
            cores: info.activeProcessorCount,
            memoryMB: Int(info.physicalMemory / 1_048_576))
    }

    var summary: String { "\(cores) cores, \(Report.count(memoryMB)) MB memory" }
}
