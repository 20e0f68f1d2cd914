<?php
/**
 * Writes measured figures into docs/RELIABILITY.md (scripts/reliability.sh
 * docs): the fault table between `<!-- fault-matrix:begin -->` and
 * `<!-- fault-matrix:end -->`, the figures between `<!-- figures:begin -->`
 * and `<!-- figures:end -->`. Everything else in the file is left alone.
 *
 *   php -n update_docs.php DOC TABLE_FILE FIGURES_FILE
 */

declare(strict_types=1);

[, $doc, $table_file, $figures_file] = $argv + [null, null, null, null];
if (!is_string($doc) || !is_file($doc)) {
    fwrite(STDERR, "usage: update_docs.php DOC TABLE_FILE FIGURES_FILE\n");
    exit(2);
}

function replace_between(string $text, string $name, string $content): string
{
    $begin = "<!-- $name:begin -->";
    $end = "<!-- $name:end -->";
    $start = strpos($text, $begin);
    $stop = strpos($text, $end);
    if ($start === false || $stop === false || $stop < $start) {
        fwrite(STDERR, "markers $begin / $end not found\n");
        exit(1);
    }
    return substr($text, 0, $start + strlen($begin)) . "\n" . rtrim($content) . "\n" . substr($text, $stop);
}

$text = (string) file_get_contents($doc);
$commit = trim((string) shell_exec('git -C ' . escapeshellarg(dirname($doc)) . ' rev-parse --short HEAD 2>/dev/null'));
$cpus = trim((string) shell_exec('nproc 2>/dev/null'));
$stamp = sprintf('Measured %s on commit %s, %s CPU cores, PHP %s.', gmdate('Y-m-d'), $commit ?: '?', $cpus ?: '?', PHP_VERSION);

$table = is_string($table_file) && is_file($table_file) ? trim((string) file_get_contents($table_file)) : '';
if ($table !== '') {
    $text = replace_between($text, 'fault-matrix', "_{$stamp}_\n\n$table");
}
$figures = is_string($figures_file) && is_file($figures_file) ? file($figures_file, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) : [];
if ($figures) {
    $rows = ['| figure | value |', '|---|---|'];
    // Figures already in the doc stay unless this run measured them again.
    $seen = [];
    if (preg_match('/<!-- figures:begin -->(.*?)<!-- figures:end -->/s', $text, $m)) {
        foreach (explode("\n", $m[1]) as $row) {
            if (preg_match('/^\| `([^`]+)` \| (.*) \|$/', $row, $cell)) {
                $seen[$cell[1]] = $cell[2];
            }
        }
    }
    foreach ($figures as $line) {
        [$name, $value] = array_map('trim', explode('=', $line, 2) + [1 => '']);
        $seen[$name] = str_replace('|', '\|', $value);
    }
    ksort($seen);
    foreach ($seen as $name => $value) {
        $rows[] = "| `$name` | $value |";
    }
    $text = replace_between($text, 'figures', "_{$stamp}_\n\n" . implode("\n", $rows));
}
file_put_contents($doc, $text);
