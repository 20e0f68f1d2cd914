<?php
/**
 * Threads of this PHP process (entries of /proc/self/task) at start, after
 * the first extension call, after a bulk sync (concurrency 8) and at the end.
 * Usage: php bench/threads.php API_URL KEY
 * Prints TSV lines: label tasks
 */

declare(strict_types=1);

function tasks(): int
{
    return count(array_diff(scandir('/proc/self/task'), ['.', '..']));
}

[$_, $api_url, $key] = $argv + ['', '', ''];
$options = ['api_key' => $key, 'api_url' => $api_url];
printf("before_any_call\t%d\n", tasks());
closte_validate_domain('Example.COM');
printf("after_closte_validate_domain\t%d\n", tasks());
closte_add_domain('threads.example.com', $options);
printf("after_first_network_call\t%d\n", tasks());
closte_remove_domain('threads.example.com', $options);
printf("after_second_network_call\t%d\n", tasks());
$domains = [];
for ($i = 0; $i < 64; $i++) {
    $domains[] = "threads-$i.example.com";
}
closte_sync_domains($domains, $options + ['concurrency' => 8, 'remove_extra' => true]);
closte_sync_domains([], $options + ['concurrency' => 8, 'remove_extra' => true]);
printf("after_closte_sync_domains\t%d\n", tasks());
