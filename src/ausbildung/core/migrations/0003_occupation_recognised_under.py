from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_apitoken'),
    ]

    operations = [
        migrations.AddField(
            model_name='occupation',
            name='recognised_under',
            field=models.CharField(blank=True, choices=[('bbig', 'Vocational Training Act (BBiG § 4)'), ('hwo', 'Crafts Code (HwO § 25)'), ('bbig+hwo', 'Vocational Training Act and Crafts Code (BBiG § 4, HwO § 25)'), ('', 'not stated in the regulation')], default='', max_length=20, verbose_name='recognised under'),
        ),
    ]
