package dev.workbook.report;

import dev.workbook.measure.MachineFacts;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;
import tech.tablesaw.io.csv.CsvWriteOptions;

/**
 * Results as CSV files that carry the facts of the machine they were measured on, so that files from
 * several machines can be loaded and compared (or appended into one table).
 *
 * <p>Every row gets the columns {@code cpu_model}, {@code cores}, {@code memory_gib}, {@code os},
 * {@code jvm} and {@code date} after the table's own columns. Numbers are written with full precision.
 */
public final class ResultsCsv {

    /** The machine columns, in the order they are written. */
    public static final List<String> MACHINE_COLUMNS = List.of("cpu_model", "cores", "memory_gib", "os", "jvm", "date");

    private static final Map<String, ColumnType> KNOWN_TYPES = Map.of(
            "strategy", ColumnType.STRING,
            "note", ColumnType.STRING,
            "workers", ColumnType.INTEGER,
            "run", ColumnType.INTEGER,
            "runs", ColumnType.INTEGER,
            "cores", ColumnType.INTEGER,
            "cpu_model", ColumnType.STRING,
            "os", ColumnType.STRING,
            "jvm", ColumnType.STRING,
            "date", ColumnType.STRING);

    private ResultsCsv() {
    }

    /**
     * Writes the table with the machine's facts in every row. The file is written under a temporary
     * name and renamed into place, so a failure never leaves half a file.
     *
     * @return the file written
     * @throws IllegalArgumentException if the table already has a column named like a machine column
     */
    public static Path write(Table table, MachineFacts facts, Path file) throws IOException {
        Table copy = table.copy();
        for (String column : MACHINE_COLUMNS) {
            if (copy.columnNames().contains(column)) {
                throw new IllegalArgumentException("table '" + table.name() + "' already has a column '" + column
                        + "', which is reserved for the machine's facts; rename it before writing");
            }
        }
        StringColumn cpuModel = StringColumn.create("cpu_model");
        IntColumn cores = IntColumn.create("cores");
        DoubleColumn memory = DoubleColumn.create("memory_gib");
        StringColumn os = StringColumn.create("os");
        StringColumn jvm = StringColumn.create("jvm");
        StringColumn date = StringColumn.create("date");
        for (int row = 0; row < copy.rowCount(); row++) {
            cpuModel.append(facts.cpuModel());
            cores.append(facts.cores());
            memory.append(facts.memoryGib());
            os.append(facts.os());
            jvm.append(facts.jvm());
            date.append(facts.date().toString());
        }
        copy.addColumns(cpuModel, cores, memory, os, jvm, date);
        return ChartImages.writeAtomically(file, out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            copy.write().csv(CsvWriteOptions.builder(writer).usePrintFormatters(false).build());
            writer.flush();
        });
    }

    /**
     * Loads the results of several runs, perhaps of several machines, into one table: each path is a CSV file
     * written by {@link #write} (a {@code summary.csv} of {@code ExperimentResult.save}), or a directory holding a
     * {@code summary.csv}. Every row keeps its machine's facts and gains a {@code source} column naming its file.
     * Only the columns every file has are kept, in the first file's order.
     *
     * @throws IllegalArgumentException if no path is given, or a file lacks the machine columns or
     *                                  {@code strategy} and {@code wall_s} (it names the file and what is missing)
     * @throws NoSuchFileException      if a path does not exist, or a directory has no {@code summary.csv}
     */
    public static Table load(Path... paths) throws IOException {
        if (paths.length == 0) {
            throw new IllegalArgumentException("no results to load: give CSV files or directories written by"
                    + " ExperimentResult.save");
        }
        List<Table> tables = new java.util.ArrayList<>();
        for (Path path : paths) {
            Path file = Files.isDirectory(path) ? path.resolve("summary.csv") : path;
            Table table = read(file);
            List<String> missing = new java.util.ArrayList<>();
            for (String column : java.util.stream.Stream.concat(java.util.stream.Stream.of("strategy", "wall_s"),
                    MACHINE_COLUMNS.stream()).toList()) {
                if (!table.columnNames().contains(column)) {
                    missing.add(column);
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(file + " is not a results file of a run: it lacks the columns "
                        + missing + " (write results with ResultsCsv.write or ExperimentResult.save)");
            }
            StringColumn source = StringColumn.create("source");
            for (int row = 0; row < table.rowCount(); row++) {
                source.append(file.toString());
            }
            table.insertColumn(0, source);
            tables.add(table);
        }
        List<String> common = new java.util.ArrayList<>(tables.get(0).columnNames());
        for (Table table : tables) {
            common.retainAll(table.columnNames());
        }
        Table all = tables.get(0).selectColumns(common.toArray(String[]::new)).copy();
        all.setName("results of " + paths.length + " run(s)");
        for (Table table : tables.subList(1, tables.size())) {
            Table part = table.selectColumns(common.toArray(String[]::new));
            for (String column : common) {
                if (part.column(column).type() != all.column(column).type()) {
                    // one file's blank column reads as text where another's reads as numbers: compare as text
                    all.replaceColumn(column, all.column(column).asStringColumn().setName(column));
                    part = part.copy();
                    part.replaceColumn(column, part.column(column).asStringColumn().setName(column));
                }
            }
            all.append(part);
        }
        return all;
    }

    /**
     * The lesson's own figures as a results table of its machine (4 cores, macOS, CPython): its thread pool, 39.2 s
     * at 101% CPU, and its process pool, 27.5 s at 389%, as {@code time} printed them; with the columns
     * {@link #load} gives, {@code source} being "the lesson". The {@code jvm} column names the runtime, CPython.
     */
    public static Table lesson() {
        try (java.io.InputStream in = ResultsCsv.class.getResourceAsStream("lesson-results.csv")) {
            if (in == null) {
                throw new IllegalStateException("lesson-results.csv is missing from the library's resources");
            }
            CsvReadOptions options = CsvReadOptions.builder(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))
                    .tableName("the lesson").columnTypesPartial(KNOWN_TYPES).build();
            Table table = Table.read().usingOptions(options);
            StringColumn source = StringColumn.create("source");
            for (int row = 0; row < table.rowCount(); row++) {
                source.append("the lesson");
            }
            table.insertColumn(0, source);
            return Tables.readable(table);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not read the lesson's figures", e);
        }
    }

    /**
     * Reads a CSV file written by {@link #write} (or any CSV with a header row) into a table named
     * after the file. Known columns get their types ({@code strategy} is text, {@code workers} an
     * integer...); other columns are read as numbers where they parse.
     *
     * @throws NoSuchFileException if the file does not exist
     */
    public static Table read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no results file here; write one with ResultsCsv.write "
                    + "or ExperimentResult.save");
        }
        CsvReadOptions options = CsvReadOptions.builder(file.toFile())
                .tableName(file.getFileName().toString())
                .columnTypesPartial(KNOWN_TYPES)
                .build();
        return Tables.readable(Table.read().usingOptions(options));
    }
}
