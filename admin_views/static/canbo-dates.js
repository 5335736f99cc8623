/* The panel's date fields (admin_views/dates.py): a Vietnamese picker on every
   <input data-role="canbo-date">, Monday first, dates written dd/mm/yyyy.
   The person may type the date (15/04/1995 or 15/4/1995): the picker follows a complete
   date and never rewrites what is being typed. */
(function ($) {
  "use strict";
  var FORMAT = "DD/MM/YYYY";
  var TYPED = ["D/M/YYYY", "D.M.YYYY", "D-M-YYYY", "YYYY-M-D"];
  var LOCALE = {
    applyLabel: "Chọn",
    cancelLabel: "Hủy",
    fromLabel: "Từ",
    toLabel: "Đến",
    weekLabel: "Tuần",
    customRangeLabel: "Tự chọn",
    daysOfWeek: ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],  // from Sunday, as moment
    monthNames: ["Tháng 1", "Tháng 2", "Tháng 3", "Tháng 4", "Tháng 5", "Tháng 6",
                 "Tháng 7", "Tháng 8", "Tháng 9", "Tháng 10", "Tháng 11", "Tháng 12"],
    firstDay: 1  // Monday
  };

  function attach(input) {
    var $input = $(input);
    if ($input.data("daterangepicker") || !$.fn.daterangepicker) {
      return false;
    }
    localize();
    $input.daterangepicker({
      singleDatePicker: true,
      showDropdowns: true,
      format: FORMAT,
      locale: LOCALE
    });
    var picker = $input.data("daterangepicker");
    $input.off("keyup.daterangepicker").on("keyup.canbo", function () {
      var typed = moment($input.val(), TYPED, true);
      if (!typed.isValid()) {
        return;
      }
      picker.startDate = typed.clone().startOf("day");
      picker.endDate = typed.clone().endOf("day");
      picker.oldStartDate = picker.startDate.clone();
      picker.oldEndDate = picker.endDate.clone();
      picker.updateView();
      picker.updateCalendars();
    });
    return true;
  }

  // Flask-Admin's own pickers (the list filters' dates and times) speak Vietnamese too;
  // their format stays theirs, which the filters read back.  Done when the page is
  // ready, after every script (form.js loads its copy of the picker late).
  function localize() {
    var original = $.fn.daterangepicker;
    if (!original || original.canboLocalized) {
      return;
    }
    $.fn.daterangepicker = function (options, callback) {
      var own = $.extend({}, options);
      own.locale = $.extend({}, LOCALE, own.locale);
      return original.call(this, own, callback);
    };
    $.fn.daterangepicker.canboLocalized = true;
  }

  $(function () {
    localize();
    $("input[data-role=canbo-date]").each(function () { attach(this); });
  });
  // Rows added later (the "Quá trình đào tạo" lines of a record) get theirs when used.
  $(document).on("focus", "input[data-role=canbo-date]", function () {
    if (attach(this)) {
      $(this).data("daterangepicker").show();
    }
  });
})(window.jQuery);
