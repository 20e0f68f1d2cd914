<?php
/**
 * Writes measured figures into docs/RELIABILITY.md (scripts/reliability.sh
 * docs): the fault table between `<!-- fault-matrix:begin -->` and
 * `<!-- fault-matrix:end -->`, the figures between `<!-- figures:begin -->`
 * and `<!-- figures:end -->`. Everything else in the file is left alone.
 * Each figure row says when and on what it was measured: a run that
 * measures only some figures leaves the others, with their own dates.
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
$git = 'git -C ' . escapeshellarg(dirname($doc));
$commit = trim((string) shell_exec("$git rev-parse --short HEAD 2>/dev/null"));
// The tree a run measured may hold changes not committed yet: say so.
$dirty = trim((string) shell_exec("$git status --porcelain --untracked-files=no 2>/dev/null")) !== '';
$cpus = trim((string) shell_exec('nproc 2>/dev/null'));
$revision = ($commit ?: '?') . ($dirty ? ' plus uncommitted changes' : '');
$stamp = sprintf('Measured %s on commit %s, %s CPU cores, PHP %s.', gmdate('Y-m-d'), $revision, $cpus ?: '?', PHP_VERSION);
$row_stamp = sprintf('%s, %s', gmdate('Y-m-d'), $revision);

$table = is_string($table_file) && is_file($table_file) ? trim((string) file_get_contents($table_file)) : '';
if ($table !== '') {
    $text = replace_between($text, 'fault-matrix', "_{$stamp}_\n\n$table");
}
$figures = is_string($figures_file) && is_file($figures_file) ? file($figures_file, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) : [];
if ($figures) {
    $rows = ['| figure | value | measured |', '|---|---|---|'];
    // Figures already in the doc stay, with when they were measured, unless
    // this run measured them again. A row of the older two-column form
    // takes the date and commit of the block's stamp line.
    $seen = [];
    if (preg_match('/<!-- figures:begin -->(.*?)<!-- figures:end -->/s', $text, $m)) {
        $old_stamp = preg_match('/Measured (\S+) on commit ([^,]+),/', $m[1], $s) ? "{$s[1]}, {$s[2]}" : '?';
        foreach (explode("\n", $m[1]) as $row) {
            if (preg_match('/^\| `([^`]+)` \| (.*) \| ([^|]*) \|$/', $row, $cell)) {
                $seen[$cell[1]] = [$cell[2], $cell[3]];
            } elseif (preg_match('/^\| `([^`]+)` \| (.*) \|$/', $row, $cell)) {
                $seen[$cell[1]] = [$cell[2], $old_stamp];
            }
        }
    }
    foreach ($figures as $line) {
        [$name, $value] = array_map('trim', explode('=', $line, 2) + [1 => '']);
        $seen[$name] = [str_replace('|', '\|', $value), $row_stamp];
    }
    ksort($seen);
    foreach ($seen as $name => [$value, $when]) {
        $rows[] = "| `$name` | $value | $when |";
    }
    $text = replace_between($text, 'figures', "_Last run: {$stamp} Each row says when it was measured._\n\n" . implode("\n", $rows));
}
file_put_contents($doc, $text);
