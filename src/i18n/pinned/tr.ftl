## pinned (tr): bir raporun önceki dışa aktarımları, kendi verilerinden yeniden sayılır

kind-exports = Rapor dışa aktarımı
pinned-title = Bu dönemin önceki dışa aktarımları
pinned-none = Bu dönemden henüz hiçbir şey indirilmedi. Her indirme, sayıldığı verilerle birlikte burada saklanır.
pinned-whole = Raporun tamamı
pinned-format-csv = CSV
pinned-format-xlsx = XLSX
pinned-counting = Rapor, dışa aktarıldığı verilerden yeniden sayılıyor …
pinned-stopped = Rapor yeniden sayılamadı: uygulama yeniden başladı. Dışa aktarımı tekrar açın.
pinned-missing = Bu cihazda, bu dışa aktarımın sayıldığı verilerin hepsi henüz yok. Eşitlendikten sonra dışa aktarımı tekrar açın.
pinned-unreadable = Bu dışa aktarım okunamıyor: uygulamanın başka bir sürümüyle kaydedilmiş.
pinned-same = Dışa aktarıldığı verilerden yeniden sayıldı: dışa aktarılanla aynı rakamlar.
pinned-not-same = Dışa aktarıldığı verilerden yeniden sayıldığında rakamlar kaydedilenlerden farklı. Raporu yeniden dışa aktarın.
pinned-unchanged = O zamandan beri hiçbir rakam değişmedi: geç gelen kayıtlar bu dönemi etkilemedi.
pinned-changed = { PLURAL($count) ->
    [one] Dışa aktarımdan sonra gelen kayıtlar nedeniyle bugün { $count } rakam farklı:
   *[other] Dışa aktarımdan sonra gelen kayıtlar nedeniyle bugün { $count } rakam farklı:
}
pinned-col-figure = Rakam
pinned-col-exported = Dışa aktarılan
pinned-col-now = Bugün
pinned-col-change = Değişim
pinned-later = { PLURAL($count) ->
    [one] Dışa aktarımdan sonra bu cihaza { $count } kayıt ulaştı, { $first } tarihinde yazılmış.
   *[other] Dışa aktarımdan sonra bu cihaza { $count } kayıt ulaştı, { $first } ile { $last } arasında yazılmış.
}
