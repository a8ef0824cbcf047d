## import (tr): CSV dosyasından kişi ve işletme aktarma

import-action = CSV dosyasından aktar
import-title-contacts = Kişileri CSV dosyasından aktar
import-title-companies = İşletmeleri CSV dosyasından aktar
import-coordinators-only = Dosyadan liste aktarmayı yalnızca koordinatörler yapar.
import-intro = Bir elektronik tablodan, virgül veya noktalı virgülle ayrılmış bir CSV dosyası. İlk satır sütunların adlarını verir. Önce neyin aktarılacağını görürsünüz; onaylamadan hiçbir şey kaydedilmez.
import-columns = Sütunlar: { $columns }
import-column-required = { $column } (zorunlu)
import-consent-note = Her kişi için onay gerekir: ”Onay tarihi” sütununda bir tarih, ”Onayın kapsamı” sütununda ”Yalnızca danışmanlık” ya da ”Danışmanlık ve ilgili kurumlara yönlendirme”. Onayı olmayan satırlar aktarılmaz. Onayı kaydeden olarak siz yazılırsınız.
import-template = Şablonu indir (CSV)
import-community = Topluluğu yazılmamış satırlar için topluluk
import-file = CSV dosyası seç
import-summary = Okunan satır: { $rows } – aktarılacak: { $good }, hatalı: { $bad }.
import-read-as-windows-1252 = Dosya UTF-8 değil; Windows-1252 olarak okundu (Excel ”CSV”yi böyle kaydeder). Aşağıdaki özel harfleri kontrol edin.
import-ignored = Lotse bu sütunları tanımıyor, aktarılmayacaklar: { $columns }
import-errors-title = Hatalı satırlar – bunlar aktarılmaz
import-good-title = Bu satırlar aktarılacak
import-row = Satır { $row }
import-field-error = { $column }: { $message }
import-more = { $count ->
    [one] ve bir tane daha
   *[other] ve { $count } tane daha
}
import-save-contacts = { $count ->
    [one] Bir kişiyi aktar
   *[other] { $count } kişiyi aktar
}
import-save-companies = { $count ->
    [one] Bir işletmeyi aktar
   *[other] { $count } işletmeyi aktar
}
import-saving = Bu cihaza kaydediliyor …
import-saved = { $count ->
    [one] Bir kayıt kaydedildi.
   *[other] { $count } kayıt kaydedildi.
}
import-saved-before-failure = { $count ->
    [one] Bir kayıt kaydedildi, gerisi kaydedilmedi.
   *[other] { $count } kayıt kaydedildi, gerisi kaydedilmedi.
}
import-saved-nothing = Hiçbir şey kaydedilmedi.
import-open-contacts = Kişilere git
import-open-companies = İşletmelere git
import-error-required = Boş: lütfen doldurun.
import-error-consent-missing = Onay yok: onay tarihi olmadan kimse aktarılmaz.
import-error-bad-date = ”{ $value }” bir tarih değil: 05.03.2026 ya da 2026-03-05 biçiminde yazın.
import-error-bad-phone = ”{ $value }” bir telefon numarası değil: 6 ile 15 arası rakam; rakamların dışında yalnızca +, boşluk, - / ( ).
import-error-too-long = Çok uzun: en fazla 200 karakter, notlarda 5000.
import-error-unknown-choice = ”{ $value }” seçeneklerden biri değil. Şunlardan birini yazın: { $choices }.
import-error-other = ”{ $value }” buraya uymuyor.
import-error-too-many-fields = Satırda { $found } alan var, başlık satırında yalnızca { $expected }: bir ayraç fazla ya da bir tırnak işareti eksik.
import-error-empty = Dosya boş.
import-error-unclosed-quote = { $row }. satırdan itibaren tırnak içindeki bir alan hiç bitmiyor: kapanış " işareti eksik.
import-error-no-rows = Dosyada başlık satırı var ama altında satır yok.
import-error-missing-columns = Dosyada şu sütunlar eksik: { $columns }. Bunları ilk satıra ekleyin (şablonda hepsi var).
import-error-twice-named = { $first }. ve { $second }. sütunların ikisi de ”{ $column }” anlamına geliyor: birini bırakın.
import-error-read = Dosya okunamadı. Lütfen yeniden seçin.

import-col-name = Ad soyad
import-col-target-group = Hedef grup
import-col-phone = Telefon
import-col-languages = Diller
import-col-district = Semt
import-col-community = Topluluk
import-col-consent-date = Onay tarihi
import-col-consent-scope = Onayın kapsamı
import-col-trade = Sektör
import-col-chamber = Oda
import-col-licence = Eğitici yeterliliği
import-col-contact-person = Yetkili kişi
import-col-member-since = Ağa katılma tarihi
import-col-notes = Notlar
