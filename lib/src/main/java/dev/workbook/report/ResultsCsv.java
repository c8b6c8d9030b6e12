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
